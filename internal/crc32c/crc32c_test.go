package crc32c

import "testing"

func TestValueAndMask(t *testing.T) {
	// CRC-32C test vectors (RFC 3720, B.4): 32 zero bytes, "123456789".
	if got := Value(make([]byte, 32)); got != 0x8a9136aa {
		t.Errorf("zeros: %#x", got)
	}
	if got := Value([]byte("123456789")); got != 0xe3069283 {
		t.Errorf("123456789: %#x", got)
	}
	if Extend(Value([]byte("1234")), []byte("56789")) != Value([]byte("123456789")) {
		t.Error("Extend differs from Value of the whole")
	}
	for _, c := range []uint32{0, 1, 0x8a9136aa, 0xffffffff} {
		if Mask(c) == c || Unmask(Mask(c)) != c {
			t.Errorf("mask %#x", c)
		}
	}
	// crc32c::Mask: rotate right 15, add 0xa282ead8.
	if Mask(0x8a9136aa) != ((0x8a9136aa>>15|0x8a9136aa<<17)+0xa282ead8)&0xffffffff {
		t.Error("Mask is not TF's")
	}
}
