package pb

import (
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Field is one field read from a binary message.
type Field struct {
	Num   int
	Type  protowire.Type
	Int   uint64 // varint, fixed32 and fixed64 values
	Bytes []byte // length-delimited values (strings, bytes, messages, packed)
}

// Parse splits a binary message into its fields, in file order. It fails
// on truncated or malformed input; it does not know the message's schema.
func Parse(b []byte) ([]Field, error) {
	var out []Field
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return nil, fmt.Errorf("bad field tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		f := Field{Num: int(num), Type: typ}
		switch typ {
		case protowire.VarintType:
			f.Int, n = protowire.ConsumeVarint(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.Int = uint64(v)
		case protowire.Fixed64Type:
			f.Int, n = protowire.ConsumeFixed64(b)
		case protowire.BytesType:
			f.Bytes, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return nil, fmt.Errorf("bad value of field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		out = append(out, f)
	}
	return out, nil
}

// Varints decodes a packed repeated varint field's bytes.
func Varints(b []byte) ([]uint64, error) {
	var out []uint64
	for len(b) > 0 {
		v, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return nil, fmt.Errorf("bad packed varint: %v", protowire.ParseError(n))
		}
		out = append(out, v)
		b = b[n:]
	}
	return out, nil
}
