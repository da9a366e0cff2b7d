// Package pb builds protocol-buffer messages field by field and writes them
// in the binary wire format and in the text format, as TensorFlow's C++ and
// Python code serialize its messages (GraphDef, MetaGraphDef, Event,
// BundleEntryProto, CheckpointState, ...), without generated code.
//
// A Message lists its fields in the order they are added; Marshal writes
// them in that order, so callers add fields in field-number order, as
// protoc-generated serializers do. Scalar setters skip proto3 defaults
// (zero, "", false) as generated code does; Msg always writes its
// submessage (TF sets them explicitly, e.g. an empty scalar shape).
package pb

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
)

type kind int

const (
	kVarint kind = iota
	kEnum
	kBool
	kFloat
	kDouble
	kFixed32
	kBytes
	kMsg
	kPackedVarint
	kPackedEnum
	kPackedFloat
	kPackedDouble
	kEmbedded
)

type field struct {
	num   protowire.Number
	name  string
	kind  kind
	u     uint64
	f     float64
	s     string
	m     *Message
	enum  string
	ints  []int64
	enums []string
	fs    []float64
}

// Message is a protocol-buffer message under construction.
type Message struct {
	fields []field
}

// New returns an empty message.
func New() *Message { return &Message{} }

func (m *Message) add(f field) *Message { m.fields = append(m.fields, f); return m }

// Int sets an int32/int64/uint64 field (skipped when zero).
func (m *Message) Int(num int, name string, v int64) *Message {
	if v == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kVarint, u: uint64(v)})
}

// IntAlways sets an integer field even when it is zero (an element of a
// repeated field, or a proto2 optional field that is set).
func (m *Message) IntAlways(num int, name string, v int64) *Message {
	return m.add(field{num: protowire.Number(num), name: name, kind: kVarint, u: uint64(v)})
}

// Enum sets an enum field to value v, printed as name in the text format
// (skipped when zero).
func (m *Message) Enum(num int, name string, v int32, valueName string) *Message {
	if v == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kEnum, u: uint64(int64(v)), enum: valueName})
}

// Bool sets a bool field (skipped when false).
func (m *Message) Bool(num int, name string, v bool) *Message {
	if !v {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kBool, u: 1})
}

// BoolAlways sets a bool field even when false (a member of a oneof).
func (m *Message) BoolAlways(num int, name string, v bool) *Message {
	u := uint64(0)
	if v {
		u = 1
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kBool, u: u})
}

// FloatAlways sets a float field even when zero (a member of a oneof).
func (m *Message) FloatAlways(num int, name string, v float32) *Message {
	return m.add(field{num: protowire.Number(num), name: name, kind: kFloat, f: float64(v)})
}

// Float sets a float field (skipped when zero).
func (m *Message) Float(num int, name string, v float32) *Message {
	if v == 0 && !math.Signbit(float64(v)) {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kFloat, f: float64(v)})
}

// Double sets a double field (skipped when zero).
func (m *Message) Double(num int, name string, v float64) *Message {
	if v == 0 && !math.Signbit(v) {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kDouble, f: v})
}

// DoubleAlways sets a double field even when it is zero.
func (m *Message) DoubleAlways(num int, name string, v float64) *Message {
	return m.add(field{num: protowire.Number(num), name: name, kind: kDouble, f: v})
}

// Fixed32 sets a fixed32 field (skipped when zero).
func (m *Message) Fixed32(num int, name string, v uint32) *Message {
	if v == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kFixed32, u: uint64(v)})
}

// String sets a string or bytes field (skipped when empty).
func (m *Message) String(num int, name string, v string) *Message {
	if v == "" {
		return m
	}
	return m.StringAlways(num, name, v)
}

// StringAlways sets a string field even when empty (repeated elements).
func (m *Message) StringAlways(num int, name string, v string) *Message {
	return m.add(field{num: protowire.Number(num), name: name, kind: kBytes, s: v})
}

// Msg sets a message field (always written, even when sub is empty).
func (m *Message) Msg(num int, name string, sub *Message) *Message {
	if sub == nil {
		sub = New()
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kMsg, m: sub})
}

// Embedded sets a message field from a submessage already serialized:
// raw is its binary form and text its text form (fields, unindented). It
// joins messages built elsewhere (a GraphDef from package tf, with nodes
// appended: concatenated serializations of a message merge, repeated
// fields appending).
func (m *Message) Embedded(num int, name string, raw []byte, text string) *Message {
	return m.add(field{num: protowire.Number(num), name: name, kind: kEmbedded, s: string(raw), enum: text})
}

// MapEntry adds one entry of a map<string, Message> field.
func (m *Message) MapEntry(num int, name string, key string, value *Message) *Message {
	return m.Msg(num, name, New().String(1, "key", key).Msg(2, "value", value))
}

// PackedInts sets a packed repeated integer field (skipped when empty).
func (m *Message) PackedInts(num int, name string, v []int64) *Message {
	if len(v) == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kPackedVarint, ints: v})
}

// PackedEnums sets a packed repeated enum field (skipped when empty).
func (m *Message) PackedEnums(num int, name string, v []int64, names []string) *Message {
	if len(v) == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kPackedEnum, ints: v, enums: names})
}

// PackedFloats sets a packed repeated float field (skipped when empty).
func (m *Message) PackedFloats(num int, name string, v []float64) *Message {
	if len(v) == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kPackedFloat, fs: v})
}

// PackedDoubles sets a packed repeated double field (skipped when empty).
func (m *Message) PackedDoubles(num int, name string, v []float64) *Message {
	if len(v) == 0 {
		return m
	}
	return m.add(field{num: protowire.Number(num), name: name, kind: kPackedDouble, fs: v})
}

// Marshal returns the message in the binary wire format.
func (m *Message) Marshal() []byte { return m.AppendTo(nil) }

// AppendTo appends the binary form of m to b.
func (m *Message) AppendTo(b []byte) []byte {
	for _, f := range m.fields {
		switch f.kind {
		case kVarint, kEnum, kBool:
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, f.u)
		case kFloat:
			b = protowire.AppendTag(b, f.num, protowire.Fixed32Type)
			b = protowire.AppendFixed32(b, math.Float32bits(float32(f.f)))
		case kFixed32:
			b = protowire.AppendTag(b, f.num, protowire.Fixed32Type)
			b = protowire.AppendFixed32(b, uint32(f.u))
		case kDouble:
			b = protowire.AppendTag(b, f.num, protowire.Fixed64Type)
			b = protowire.AppendFixed64(b, math.Float64bits(f.f))
		case kBytes:
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendString(b, f.s)
		case kMsg:
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendBytes(b, f.m.Marshal())
		case kEmbedded:
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendString(b, f.s)
		case kPackedVarint, kPackedEnum:
			var p []byte
			for _, v := range f.ints {
				p = protowire.AppendVarint(p, uint64(v))
			}
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendBytes(b, p)
		case kPackedFloat:
			var p []byte
			for _, v := range f.fs {
				p = protowire.AppendFixed32(p, math.Float32bits(float32(v)))
			}
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendBytes(b, p)
		case kPackedDouble:
			var p []byte
			for _, v := range f.fs {
				p = protowire.AppendFixed64(p, math.Float64bits(v))
			}
			b = protowire.AppendTag(b, f.num, protowire.BytesType)
			b = protowire.AppendBytes(b, p)
		}
	}
	return b
}

// Text returns the message in the protobuf text format, as Python's
// text_format.MessageToString writes it (two-space indents, one field a
// line, repeated fields one element a line).
func (m *Message) Text() string {
	var b strings.Builder
	m.text(&b, "")
	return b.String()
}

func (m *Message) text(b *strings.Builder, indent string) {
	line := func(name, v string) {
		b.WriteString(indent)
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(v)
		b.WriteByte('\n')
	}
	for _, f := range m.fields {
		switch f.kind {
		case kVarint:
			line(f.name, strconv.FormatInt(int64(f.u), 10))
		case kFixed32:
			line(f.name, strconv.FormatUint(f.u, 10))
		case kEnum:
			line(f.name, f.enum)
		case kBool:
			line(f.name, strconv.FormatBool(f.u != 0))
		case kFloat:
			line(f.name, FormatFloat(f.f, 32))
		case kDouble:
			line(f.name, FormatFloat(f.f, 64))
		case kBytes:
			line(f.name, Quote(f.s))
		case kMsg:
			b.WriteString(indent)
			b.WriteString(f.name)
			b.WriteString(" {\n")
			f.m.text(b, indent+"  ")
			b.WriteString(indent)
			b.WriteString("}\n")
		case kEmbedded:
			b.WriteString(indent + f.name + " {\n")
			for _, l := range strings.SplitAfter(f.enum, "\n") {
				if l != "" {
					b.WriteString(indent + "  " + l)
				}
			}
			b.WriteString(indent + "}\n")
		case kPackedVarint:
			for _, v := range f.ints {
				line(f.name, strconv.FormatInt(v, 10))
			}
		case kPackedEnum:
			for i := range f.ints {
				line(f.name, f.enums[i])
			}
		case kPackedFloat:
			for _, v := range f.fs {
				line(f.name, FormatFloat(v, 32))
			}
		case kPackedDouble:
			for _, v := range f.fs {
				line(f.name, FormatFloat(v, 64))
			}
		}
	}
}

// FormatFloat formats v as Python's repr does (shortest digits that read
// back exactly; fixed notation for 1e-4 <= |v| < 1e16, else exponent), the
// form Python's text_format writes.
func FormatFloat(v float64, bits int) string {
	switch {
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	case math.IsNaN(v):
		return "nan"
	}
	a := math.Abs(v)
	if v == 0 || (a >= 1e-4 && a < 1e16) {
		s := strconv.FormatFloat(v, 'f', -1, bits)
		if !strings.ContainsAny(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, bits) // 1e+16, 1.5e-05
	if i := strings.Index(s, "e"); i >= 0 {
		mant, exp := s[:i], s[i+1:]
		sign := exp[0]
		exp = strings.TrimLeft(exp[1:], "0")
		if len(exp) < 2 {
			exp = strings.Repeat("0", 2-len(exp)) + exp
		}
		s = mant + "e" + string(sign) + exp
	}
	return s
}

// Quote quotes s as the text format's C-style escaped string: \n, \r, \t,
// \", \', \\ escaped, other bytes outside printable ASCII as three-digit
// octal escapes.
func Quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '"':
			b.WriteString(`\"`)
		case '\'':
			b.WriteString(`\'`)
		case '\\':
			b.WriteString(`\\`)
		default:
			if c < 0x20 || c >= 0x7f {
				b.WriteByte('\\')
				b.WriteByte('0' + c>>6)
				b.WriteByte('0' + (c>>3)&7)
				b.WriteByte('0' + c&7)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// SortedKeys returns m's keys in order, for writing map fields
// deterministically.
func SortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
