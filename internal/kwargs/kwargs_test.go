package kwargs

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	type opt struct {
		key string
		v   int
	}
	tests := []struct {
		name    string
		fn      string
		site    bool
		opts    []opt
		want    []int
		given   []string
		wantErr []string
	}{
		{"in order", "f", false, []opt{{"a", 1}, {"b", 2}, {"a", 3}}, []int{1, 2, 3}, []string{"a", "b"}, nil},
		{"zero option skipped", "f", false, []opt{{}, {"b", 2}}, []int{2}, []string{"b"}, nil},
		{"none", "f", false, nil, nil, nil, nil},
		{"refused", "pkg.F", true, []opt{{"a", 1}, {"c", 2}, {"b", 3}}, []int{1}, []string{"a"},
			[]string{"pkg.F at ", "does not take the option c (it takes [a b])"}},
		{"no site", "pkg.F", false, []opt{{"c", 1}}, nil, nil,
			[]string{"pkg.F does not take the option c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []int
			given := map[string]bool{}
			err := Parse(tc.fn, tc.site, []string{"a", "b"}, given, len(tc.opts),
				func(i int) string { return tc.opts[i].key },
				func(i int) { got = append(got, tc.opts[i].v) })
			if len(tc.wantErr) == 0 && err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wantErr {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v, want it to contain %q", err, w)
				}
			}
			if !tc.site && strings.Contains(err2s(err), " at ") {
				t.Errorf("error %v names a site", err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("applied %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("applied %v, want %v", got, tc.want)
				}
			}
			if len(given) != len(tc.given) {
				t.Errorf("given %v, want %v", given, tc.given)
			}
			for _, k := range tc.given {
				if !given[k] {
					t.Errorf("given %v lacks %q", given, k)
				}
			}
		})
	}
}

func err2s(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
