package tf

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gorgonia.org/tensor"
)

// Array is a value computed by a Session: a *tensor.Dense (so it is a
// tensor.Tensor and has all of Dense's methods) that prints as numpy prints
// arrays, as the chapter shows them:
//
//	[[-0.45652324 -0.68064117]
//	 [ 0.40938237  0.63104498]]
type Array struct {
	*tensor.Dense
}

// NewArray wraps d.
func NewArray(d *tensor.Dense) *Array { return &Array{Dense: d} }

// DType returns the array's element type.
func (a *Array) DType() DType { return DTypeOf(a.Dense.Dtype()) }

// Float64s returns the elements as float64s in row-major order (any numeric dtype).
func (a *Array) Float64s() []float64 { return Float64s(a.Dense) }

// String formats the array as numpy's str does.
func (a *Array) String() string {
	if a == nil || a.Dense == nil {
		return "<nil>"
	}
	return FormatDense(a.Dense)
}

// Format makes fmt's verbs %v and %s print the numpy form.
func (a *Array) Format(s fmt.State, c rune) { fmt.Fprint(s, a.String()) }

// FormatDense formats d as numpy's str(array) does: nested brackets, columns
// aligned, floats with up to 8 significant fractional digits.
func FormatDense(d *tensor.Dense) string {
	shape := []int(d.Shape())
	if len(shape) > 0 && d.Shape().TotalSize() == 0 {
		return "[]" // numpy prints every empty array so; Data panics on them
	}
	var cells []string
	switch DTypeOf(d.Dtype()) {
	case Bool:
		var bs []bool
		if d.IsScalar() {
			bs = []bool{d.ScalarValue().(bool)}
		} else {
			bs = d.Bools()
		}
		for _, b := range bs {
			if b {
				cells = append(cells, " True")
			} else {
				cells = append(cells, "False")
			}
		}
	case Int32, Int64:
		for _, f := range Float64s(d) {
			cells = append(cells, strconv.FormatInt(int64(f), 10))
		}
		cells = padLeft(cells)
	default:
		if len(shape) == 0 {
			bits := 64
			if DTypeOf(d.Dtype()) == Float32 {
				bits = 32
			}
			return formatScalarFloat(Float64s(d)[0], bits)
		}
		cells = formatFloats(Float64s(d), DTypeOf(d.Dtype()) == Float32)
	}
	if len(shape) == 0 {
		if len(cells) == 0 {
			return ""
		}
		return strings.TrimSpace(cells[0])
	}
	var b strings.Builder
	var rec func(dim, off, indent int)
	rec = func(dim, off, indent int) {
		b.WriteByte('[')
		n := shape[dim]
		stride := 1
		for _, s := range shape[dim+1:] {
			stride *= s
		}
		for i := 0; i < n; i++ {
			if dim == len(shape)-1 {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(cells[off+i])
				continue
			}
			if i > 0 {
				b.WriteString(strings.Repeat("\n", len(shape)-dim-1))
				b.WriteString(strings.Repeat(" ", indent+1))
			}
			rec(dim+1, off+i*stride, indent+1)
		}
		b.WriteByte(']')
	}
	rec(0, 0, 0)
	return b.String()
}

// formatScalarFloat formats a 0-d float as numpy prints its scalars (what
// sess.run returns for them), which is Python's repr: "5.0", "0.33333334",
// "1e-05", "1e+16".
func formatScalarFloat(v float64, bits int) string {
	switch {
	case math.IsNaN(v):
		return "nan"
	case math.IsInf(v, 1):
		return "inf"
	case math.IsInf(v, -1):
		return "-inf"
	}
	if a := math.Abs(v); a == 0 || (a >= 1e-4 && a < 1e16) {
		s := strconv.FormatFloat(v, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(v, 'e', -1, bits)
	mant, exp, _ := strings.Cut(s, "e")
	if len(exp) == 2 {
		exp = exp[:1] + "0" + exp[1:]
	}
	return mant + "e" + exp
}

func padLeft(cells []string) []string {
	w := 0
	for _, c := range cells {
		w = max(w, len(c))
	}
	for i, c := range cells {
		cells[i] = strings.Repeat(" ", w-len(c)) + c
	}
	return cells
}

// formatFloats renders floats as numpy's default (precision 8, "maxprec"):
// positional notation with the fewest fractional digits that represent each
// value (at most 8), decimal points aligned; scientific notation when the
// values span a range positional notation cannot show well.
func formatFloats(f []float64, single bool) []string {
	bits := 64
	if single {
		bits = 32
	}
	maxAbs, minAbs := 0.0, math.Inf(1)
	for _, v := range f {
		if math.IsInf(v, 0) || math.IsNaN(v) || v == 0 {
			continue
		}
		a := math.Abs(v)
		maxAbs = math.Max(maxAbs, a)
		minAbs = math.Min(minAbs, a)
	}
	sci := maxAbs >= 1e8 || (minAbs < 1e-4 && !math.IsInf(minAbs, 1)) || (maxAbs > 0 && maxAbs/minAbs > 1e3 && minAbs < 1e-4)
	cells := make([]string, len(f))
	if sci {
		for i, v := range f {
			s := strconv.FormatFloat(v, 'e', -1, bits)
			mant, exp, _ := strings.Cut(s, "e")
			if dot := strings.IndexByte(mant, '.'); dot >= 0 && len(mant)-dot-1 > 8 {
				s = strconv.FormatFloat(v, 'e', 8, bits)
				mant, exp, _ = strings.Cut(s, "e")
				mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
			}
			if !strings.Contains(mant, ".") {
				mant += "."
			}
			if len(exp) == 2 {
				exp = exp[:1] + "0" + exp[1:]
			}
			cells[i] = mant + "e" + exp
		}
		return alignDots(cells)
	}
	for i, v := range f {
		switch {
		case math.IsNaN(v):
			cells[i] = "nan"
			continue
		case math.IsInf(v, 1):
			cells[i] = "inf"
			continue
		case math.IsInf(v, -1):
			cells[i] = "-inf"
			continue
		}
		s := strconv.FormatFloat(v, 'f', -1, bits)
		if dot := strings.IndexByte(s, '.'); dot >= 0 && len(s)-dot-1 > 8 {
			s = strconv.FormatFloat(v, 'f', 8, bits)
			s = strings.TrimRight(s, "0")
		}
		if !strings.Contains(s, ".") {
			s += "."
		}
		cells[i] = s
	}
	return alignDots(cells)
}

// alignDots pads cells so their decimal points line up, as numpy does.
func alignDots(cells []string) []string {
	left, right := 0, 0
	for _, c := range cells {
		d := strings.IndexAny(c, ".")
		if d < 0 {
			d = len(c)
		}
		left = max(left, d)
		right = max(right, len(c)-d)
	}
	for i, c := range cells {
		d := strings.IndexAny(c, ".")
		if d < 0 {
			d = len(c)
		}
		cells[i] = strings.Repeat(" ", left-d) + c + strings.Repeat(" ", right-(len(c)-d))
	}
	return cells
}
