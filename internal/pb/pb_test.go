package pb

import (
	"bytes"
	"math"
	"testing"
)

func TestMarshalAndText(t *testing.T) {
	m := New().
		String(1, "name", "a\"b\n\x01é").
		Int(2, "zero", 0).
		Int(3, "neg", -1).
		Enum(4, "dtype", 1, "DT_FLOAT").
		Bool(5, "flag", true).
		Float(6, "f", 0.5).
		Double(7, "d", 1e-5).
		Fixed32(8, "crc", 0xdeadbeef).
		Msg(9, "empty", New()).
		PackedDoubles(10, "p", []float64{1, 2})
	bin := m.Marshal()
	fs, err := Parse(bin)
	if err != nil {
		t.Fatal(err)
	}
	nums := []int{}
	for _, f := range fs {
		nums = append(nums, f.Num)
	}
	if len(nums) != 9 || nums[1] != 3 {
		t.Errorf("fields %v (zero skipped)", nums)
	}
	if fs[1].Int != math.MaxUint64 {
		t.Errorf("-1 encodes as %d", fs[1].Int)
	}
	if !bytes.Equal(fs[0].Bytes, []byte("a\"b\n\x01é")) {
		t.Errorf("string field %q", fs[0].Bytes)
	}
	text := `name: "a\"b\n\001\303\251"
neg: -1
dtype: DT_FLOAT
flag: true
f: 0.5
d: 1e-05
crc: 3735928559
empty {
}
p: 1.0
p: 2.0
`
	if got := m.Text(); got != text {
		t.Errorf("text:\n%s\nwant\n%s", got, text)
	}
}

func TestFormatFloat(t *testing.T) {
	for _, c := range []struct {
		v    float64
		bits int
		want string
	}{
		{0, 64, "0.0"}, {1, 64, "1.0"}, {0.1, 32, "0.1"}, {1e16, 64, "1e+16"}, {1.5e-5, 64, "1.5e-05"},
		{1573571302.4562864, 64, "1573571302.4562864"}, {math.Inf(-1), 64, "-inf"}, {math.MaxFloat64, 64, "1.7976931348623157e+308"},
	} {
		if got := FormatFloat(c.v, c.bits); got != c.want {
			t.Errorf("FormatFloat(%v) = %s, want %s", c.v, got, c.want)
		}
	}
}
