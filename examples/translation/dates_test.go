package main

import (
	"math/rand"
	"strings"
	"testing"
)

func TestDateWords(t *testing.T) {
	for _, c := range []struct {
		got, want string
	}{
		{ordinal(1), "first"}, {ordinal(12), "twelfth"}, {ordinal(20), "twentieth"},
		{ordinal(21), "twenty first"}, {ordinal(30), "thirtieth"}, {ordinal(31), "thirty first"},
		{yearWords(1950), "nineteen fifty"}, {yearWords(1998), "nineteen ninety eight"},
		{yearWords(2000), "two thousand"}, {yearWords(2013), "two thousand thirteen"}, {yearWords(2049), "two thousand forty nine"},
	} {
		if c.got != c.want {
			t.Errorf("%q, want %q", c.got, c.want)
		}
	}
}

func TestEncodeDates(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	src, tgt := sourceVocab(), targetVocab()
	var ds []date
	for range 200 {
		d := randomDate(r)
		if len(strings.Fields(d.human)) > encSteps {
			t.Fatalf("%q has more than %d words", d.human, encSteps)
		}
		for _, w := range strings.Fields(d.human) {
			if _, ok := src.ids[w]; !ok {
				t.Fatalf("word %q of %q is not in the vocabulary", w, d.human)
			}
		}
		ds = append(ds, d)
	}
	x, y := encode(ds, src, tgt)
	xs, ys := x.Data().([]int32), y.Data().([]int32)
	for b, d := range ds {
		words := strings.Fields(d.human)
		// reversed, padded at the front
		if got := src.tokens[xs[b*encSteps+encSteps-1]]; got != words[0] {
			t.Errorf("%q: last encoder step is %q, want its first word", d.human, got)
		}
		var iso strings.Builder
		for i := 1; i <= isoLen; i++ {
			iso.WriteString(tgt.tokens[ys[b*(decSteps+1)+i]])
		}
		if iso.String() != d.iso || ys[b*(decSteps+1)] != 1 || ys[b*(decSteps+1)+decSteps] != 2 {
			t.Errorf("%q: decoder row %v", d.iso, ys[b*(decSteps+1):(b+1)*(decSteps+1)])
		}
	}
}
