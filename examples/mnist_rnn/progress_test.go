package main

import (
	"bytes"
	"strings"
	"testing"
)

// Not on a terminal, the bar writes one plain line at each quarter of the
// epoch (none at the end: the epoch's summary follows), and no escapes.
func TestProgressNotTerminal(t *testing.T) {
	for _, total := range []int{1, 3, 8, 366} {
		var b bytes.Buffer
		p := newProgress(&b, "epoch 0", total)
		for i := 1; i <= total; i++ {
			p.set(i)
		}
		p.done()
		out := b.String()
		if strings.ContainsAny(out, "\r\x1b") {
			t.Fatalf("total %d: terminal control characters in %q", total, out)
		}
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if out == "" {
			lines = nil
		}
		want := 3
		if total < 4 {
			want = total - 1 // the quarters a step lands on, less the last
		}
		if len(lines) != want {
			t.Fatalf("total %d: %d lines %q, want %d", total, len(lines), out, want)
		}
		for _, l := range lines {
			if !strings.HasPrefix(l, "epoch 0: ") || !strings.Contains(l, "steps/s") {
				t.Fatalf("total %d: line %q", total, l)
			}
		}
	}
}
