package table

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// TestRoundTrip writes tables of 0 to many entries, some larger than a
// block, and reads them back; big tables have several data blocks whose
// index keys are TF's shortest separators.
func TestRoundTrip(t *testing.T) {
	for _, n := range []int{0, 1, 15, 16, 17, 100, 3000} {
		var b Builder
		var want []Entry
		for i := 0; i < n; i++ {
			k := []byte(fmt.Sprintf("key/%06d", i))
			v := []byte(strings.Repeat(string(rune('a'+i%26)), i%300))
			if i == 7 {
				v = bytes.Repeat([]byte{1}, 2*blockSize) // an overly large entry
			}
			if err := b.Add(k, v); err != nil {
				t.Fatal(err)
			}
			want = append(want, Entry{k, v})
		}
		out, err := b.Finish()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Read(out)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if len(got) != len(want) {
			t.Fatalf("n=%d: %d entries back", n, len(got))
		}
		for i := range got {
			if !bytes.Equal(got[i].Key, want[i].Key) || !bytes.Equal(got[i].Value, want[i].Value) {
				t.Fatalf("n=%d: entry %d differs", n, i)
			}
		}
	}
}

func TestSeparators(t *testing.T) {
	for _, c := range []struct{ start, limit, sep, succ string }{
		{"abc", "abd", "abc", "b"},
		{"abc", "abz", "abd", "b"},
		{"ab", "abc", "ab", "b"},
		{"a\xff", "b", "a\xff", "b"},
		{"\xff\xff", "\xff\xff\x01", "\xff\xff", "\xff\xff"},
	} {
		if got := string(shortestSeparator([]byte(c.start), []byte(c.limit))); got != c.sep {
			t.Errorf("separator(%q, %q) = %q, want %q", c.start, c.limit, got, c.sep)
		}
		if got := string(shortSuccessor([]byte(c.start))); got != c.succ {
			t.Errorf("successor(%q) = %q, want %q", c.start, got, c.succ)
		}
	}
}

func TestBadTables(t *testing.T) {
	var b Builder
	b.Add([]byte("a"), []byte("1"))
	b.Add([]byte("b"), []byte("2"))
	good, _ := b.Finish()
	if err := b.Add([]byte("c"), nil); err == nil {
		t.Error("Add after Finish succeeded")
	}
	var c Builder
	c.Add([]byte("b"), nil)
	if err := c.Add([]byte("a"), nil); err == nil || !strings.Contains(err.Error(), "keys must increase") {
		t.Errorf("keys out of order: %v", err)
	}
	flip := append([]byte{}, good...)
	flip[1] ^= 1
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"short", good[:20], "shorter than a table's"},
		{"truncated", good[:len(good)-1], "bad magic number"},
		{"corrupt", flip, "checksum mismatch"},
	} {
		if _, err := Read(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}
}
