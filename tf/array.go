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
			return formatScalar(Float64s(d)[0], DTypeOf(d.Dtype()) == Float32)
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
// value (at most 8), decimal points aligned; scientific notation, mantissas
// padded with zeros to one length, when the non-zero magnitudes reach 1e8,
// go below 1e-4 or span more than a factor 1e3. inf and nan are
// right-aligned in the column width (numpy's FloatingFormat).
func formatFloats(f []float64, single bool) []string {
	bits := 64
	if single {
		bits = 32
	}
	maxAbs, minAbs := 0.0, math.Inf(1)
	special := false
	for _, v := range f {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			special = true
			continue
		}
		if v == 0 {
			continue
		}
		a := math.Abs(v)
		maxAbs = math.Max(maxAbs, a)
		minAbs = math.Min(minAbs, a)
	}
	sci := maxAbs > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs/minAbs > 1e3)
	// Split each finite value into integer part, fraction and exponent.
	ints, fracs, exps := make([]string, len(f)), make([]string, len(f)), make([]string, len(f))
	padLeft, padRight, prec, expSize := 0, 0, 0, 0
	for i, v := range f {
		if math.IsInf(v, 0) || math.IsNaN(v) {
			continue
		}
		var s string
		if sci {
			s = strconv.FormatFloat(v, 'e', -1, bits)
			if m, _, _ := strings.Cut(s, "e"); len(m)-strings.IndexByte(m+".", '.')-1 > 8 {
				s = strconv.FormatFloat(v, 'e', 8, bits)
			}
			var e string
			s, e, _ = strings.Cut(s, "e")
			exps[i] = e
			expSize = max(expSize, len(e)-1)
		} else {
			s = strconv.FormatFloat(v, 'f', -1, bits)
			if d := strings.IndexByte(s, '.'); d >= 0 && len(s)-d-1 > 8 {
				s = strconv.FormatFloat(v, 'f', 8, bits)
			}
		}
		in, fr, _ := strings.Cut(s, ".")
		if sci || strings.Contains(s, ".") {
			fr = strings.TrimRight(fr, "0")
		}
		ints[i], fracs[i] = in, fr
		padLeft = max(padLeft, len(in))
		prec = max(prec, len(fr))
	}
	padRight = prec
	if sci {
		padRight = expSize + 2 + prec
	}
	if special {
		neg := 0
		for _, v := range f {
			if math.IsInf(v, -1) {
				neg = 1
			}
		}
		padLeft = max(padLeft, 3-(padRight+1), 3+neg-(padRight+1))
	}
	cells := make([]string, len(f))
	for i, v := range f {
		var c string
		switch {
		case math.IsNaN(v):
			c = "nan"
		case math.IsInf(v, 1):
			c = "inf"
		case math.IsInf(v, -1):
			c = "-inf"
		}
		if c != "" {
			cells[i] = strings.Repeat(" ", max(0, padLeft+padRight+1-len(c))) + c
			continue
		}
		c = strings.Repeat(" ", padLeft-len(ints[i])) + ints[i] + "."
		if sci {
			e := exps[i]
			c += fracs[i] + strings.Repeat("0", prec-len(fracs[i])) + "e" + e[:1] + strings.Repeat("0", expSize-(len(e)-1)) + e[1:]
		} else {
			c += fracs[i] + strings.Repeat(" ", prec-len(fracs[i]))
		}
		cells[i] = c
	}
	return cells
}

// formatScalar renders a 0-d float as numpy prints a scalar (Python's float
// repr): positional for 1e-4 <= |v| < 1e16 (with ".0" when integral),
// otherwise shortest scientific notation ("1e-05").
func formatScalar(v float64, single bool) string {
	bits := 64
	if single {
		bits = 32
	}
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
	return strconv.FormatFloat(v, 'e', -1, bits)
}
