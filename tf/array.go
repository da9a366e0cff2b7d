package tf

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/pkg/errors"
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
func (a *Array) Float64s() []float64 { return float64s(a.Dense) }

// Reshape gives the array a new shape holding the same elements, in place,
// as numpy's reshape: one dimension may be -1 and is then worked out from
// the others (X_test.reshape((-1, n_steps, n_inputs)) is
// XTest.Reshape(-1, nSteps, nInputs)). It shadows tensor.Dense's Reshape,
// which takes no -1.
func (a *Array) Reshape(dims ...int) error {
	if a == nil || a.Dense == nil {
		return errors.New("tf.Array.Reshape: nil array")
	}
	size := a.Dense.Shape().TotalSize()
	out := append([]int(nil), dims...)
	free, prod := -1, 1
	for i, d := range out {
		switch {
		case d == -1 && free < 0:
			free = i
		case d == -1:
			return errors.Errorf("tf.Array.Reshape%v: can only specify one unknown dimension", dims)
		case d < 0:
			return errors.Errorf("tf.Array.Reshape%v: dimension %d is %d; want a size or one -1", dims, i, d)
		default:
			prod *= d
		}
	}
	if free >= 0 {
		if prod == 0 || size%prod != 0 {
			return errors.Errorf("tf.Array.Reshape%v: cannot reshape array of size %d into shape %v", dims, size, dims)
		}
		out[free] = size / prod
		prod *= out[free]
	}
	if prod != size {
		return errors.Errorf("tf.Array.Reshape%v: cannot reshape array of size %d into shape %v", dims, size, dims)
	}
	return a.Dense.Reshape(out...)
}

// String formats the array as numpy's str does.
func (a *Array) String() string {
	if a == nil || a.Dense == nil {
		return "<nil>"
	}
	return formatDense(a.Dense)
}

// Format implements fmt.Formatter, as numpy's printoptions would print the
// array: %v and %s print numpy's default form (String); a precision sets
// numpy's precision, and the verb its floatmode:
//
//	%.3v, %.3g  at most 3 fractional digits, trailing zeros dropped (precision=3)
//	%.3f        exactly 3 fractional digits, never scientific (floatmode="fixed", suppress=True)
//	%.3e        scientific, 3 digits after the point
//
// A width pads every element to that many characters (%8.3f). Integer and
// boolean arrays ignore the precision. Other verbs print as %v.
func (a *Array) Format(s fmt.State, c rune) {
	if a == nil || a.Dense == nil {
		fmt.Fprint(s, "<nil>")
		return
	}
	ff := floatFormat{prec: 8}
	if p, ok := s.Precision(); ok {
		ff.prec = p
	}
	switch c {
	case 'f', 'F':
		ff.mode, ff.fixed = 'f', true
		if _, ok := s.Precision(); !ok {
			ff.prec = 6 // as fmt's %f
		}
	case 'e', 'E':
		ff.mode, ff.fixed = 'e', true
		if _, ok := s.Precision(); !ok {
			ff.prec = 6
		}
	}
	ff.width, _ = s.Width()
	fmt.Fprint(s, formatDenseWith(a.Dense, ff))
}

// floatFormat is how formatDense writes elements: numpy's precision (prec),
// floatmode "fixed" (fixed) or "maxprec", notation forced to positional
// ('f') or scientific ('e') or chosen as numpy does (0), and a minimum
// width of each element.
type floatFormat struct {
	prec  int
	fixed bool
	mode  byte
	width int
}

// formatDense formats d as numpy's str(array) does: nested brackets, columns
// aligned, floats with up to 8 significant fractional digits.
func formatDense(d *tensor.Dense) string {
	return formatDenseWith(d, floatFormat{prec: 8})
}

func formatDenseWith(d *tensor.Dense, ff floatFormat) string {
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
		for _, f := range float64s(d) {
			cells = append(cells, strconv.FormatInt(int64(f), 10))
		}
		cells = padLeft(cells)
	case String:
		// numpy prints bytes objects as b'...', escaping what is not
		// printable ASCII.
		var ss []string
		if d.IsScalar() {
			ss = []string{d.ScalarValue().(string)}
		} else {
			ss = d.Data().([]string)
		}
		for _, s := range ss {
			cells = append(cells, bytesRepr(s))
		}
	default:
		if len(shape) == 0 {
			return padTo(formatScalar(float64s(d)[0], DTypeOf(d.Dtype()) == Float32, ff), ff.width)
		}
		cells = formatFloats(float64s(d), DTypeOf(d.Dtype()) == Float32, ff)
	}
	for i := range cells {
		cells[i] = padTo(cells[i], ff.width)
	}
	if len(shape) == 0 {
		if len(cells) == 0 {
			return ""
		}
		if ff.width > 0 {
			return cells[0]
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

// padTo pads s on the left to width characters.
func padTo(s string, width int) string {
	if n := width - len(s); n > 0 {
		return strings.Repeat(" ", n) + s
	}
	return s
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
func formatFloats(f []float64, single bool, ff floatFormat) []string {
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
	switch ff.mode {
	case 'f':
		sci = false
	case 'e':
		sci = true
	}
	p := ff.prec
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
			if m, _, _ := strings.Cut(s, "e"); ff.fixed || len(m)-strings.IndexByte(m+".", '.')-1 > p {
				s = strconv.FormatFloat(v, 'e', p, bits)
			}
			var e string
			s, e, _ = strings.Cut(s, "e")
			exps[i] = e
			expSize = max(expSize, len(e)-1)
		} else {
			s = strconv.FormatFloat(v, 'f', -1, bits)
			if d := strings.IndexByte(s, '.'); ff.fixed || (d >= 0 && len(s)-d-1 > p) {
				s = strconv.FormatFloat(v, 'f', p, bits)
			}
		}
		in, fr, _ := strings.Cut(s, ".")
		if !ff.fixed && (sci || strings.Contains(s, ".")) {
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
func formatScalar(v float64, single bool, ff floatFormat) string {
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
	switch ff.mode {
	case 'f':
		return strconv.FormatFloat(v, 'f', ff.prec, bits)
	case 'e':
		return strconv.FormatFloat(v, 'e', ff.prec, bits)
	}
	if ff.prec < 8 {
		v, _ = strconv.ParseFloat(strconv.FormatFloat(v, 'f', ff.prec, bits), bits)
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

// bytesRepr formats s as Python's repr of a bytes object.
func bytesRepr(s string) string {
	var b strings.Builder
	b.WriteString("b'")
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20 || c >= 0x7f:
			fmt.Fprintf(&b, "\\x%02x", c)
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}
