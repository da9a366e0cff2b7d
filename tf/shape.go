package tf

import (
	"strconv"
	"strings"

	"github.com/pkg/errors"
)

// None marks a dimension whose size is not known when the graph is built
// (Python's None in a TF shape). It is known at Run time, from the feeds.
const None = -1

// Shape is a tensor shape whose dimensions may be None, as TF's TensorShape.
// A nil Shape given where a shape is optional means "unknown rank"; Shape{}
// is the shape of a scalar.
type Shape []int

// Rank returns the number of dimensions.
func (s Shape) Rank() int { return len(s) }

// IsFullyDefined reports whether no dimension is None.
func (s Shape) IsFullyDefined() bool {
	for _, d := range s {
		if d < 0 {
			return false
		}
	}
	return true
}

// NumElements returns the product of the dimensions, or None if one is None.
func (s Shape) NumElements() int {
	n := 1
	for _, d := range s {
		if d < 0 {
			return None
		}
		n *= d
	}
	return n
}

// Clone returns a copy of s.
func (s Shape) Clone() Shape {
	if s == nil {
		return nil
	}
	return append(Shape{}, s...)
}

// Equal reports whether s and o have the same rank and the same dimensions,
// None matching only None.
func (s Shape) Equal(o Shape) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if s[i] != o[i] {
			return false
		}
	}
	return true
}

// IsCompatibleWith reports whether a tensor of shape o may stand where s is
// expected: same rank, and equal dimensions wherever both are known.
func (s Shape) IsCompatibleWith(o Shape) bool {
	if len(s) != len(o) {
		return false
	}
	for i := range s {
		if s[i] >= 0 && o[i] >= 0 && s[i] != o[i] {
			return false
		}
	}
	return true
}

// String formats s as TF prints shapes in messages: [?,3].
func (s Shape) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, d := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		if d < 0 {
			b.WriteByte('?')
		} else {
			b.WriteString(strconv.Itoa(d))
		}
	}
	b.WriteByte(']')
	return b.String()
}

// mergeDim returns the more specific of two compatible dimensions.
func mergeDim(a, b int) int {
	if a < 0 {
		return b
	}
	return a
}

// broadcastShape is numpy's broadcasting of two static shapes (None allowed).
func broadcastShape(a, b Shape) (Shape, error) {
	n := max(len(a), len(b))
	out := make(Shape, n)
	for i := 0; i < n; i++ {
		da, db := 1, 1
		if j := len(a) - n + i; j >= 0 {
			da = a[j]
		}
		if j := len(b) - n + i; j >= 0 {
			db = b[j]
		}
		switch {
		case da == db:
			out[i] = da
		case da == 1:
			out[i] = db
		case db == 1:
			out[i] = da
		case da < 0:
			out[i] = db
		case db < 0:
			out[i] = da
		default:
			return nil, errors.Errorf("shapes %v and %v cannot be broadcast: dimensions %d and %d differ (dimension %d of the result)", a, b, da, db, i)
		}
	}
	return out, nil
}
