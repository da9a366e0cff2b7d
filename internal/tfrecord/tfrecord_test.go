package tfrecord

import (
	"bytes"
	"strings"
	"testing"
)

func TestRoundTripAndErrors(t *testing.T) {
	var buf bytes.Buffer
	recs := [][]byte{[]byte("brain.Event:2"), {}, bytes.Repeat([]byte{7}, 1000)}
	for _, r := range recs {
		if err := Write(&buf, r); err != nil {
			t.Fatal(err)
		}
	}
	b := buf.Bytes()
	if len(b) != 3*16+13+1000 {
		t.Errorf("%d bytes, want %d", len(b), 3*16+13+1000)
	}
	got, err := Read(b)
	if err != nil || len(got) != 3 || string(got[0]) != "brain.Event:2" || len(got[2]) != 1000 {
		t.Fatalf("Read = %q, %v", got, err)
	}
	bad := append([]byte{}, b...)
	bad[14] ^= 1
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated", b[:len(b)-3], "truncated"},
		{"corrupt data", bad, "corrupted data"},
		{"corrupt length", append([]byte{1}, b[1:]...), "corrupted length"},
	} {
		if _, err := Read(c.b); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}
