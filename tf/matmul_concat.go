package tf

import (
	"github.com/pkg/errors"
	gblas "gonum.org/v1/gonum/blas"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/blas"
)

// ConcatMatMul is concat([x_1, ..., x_n], 1)·w computed as the sum of the
// products x_j·w_j of each part with its block of rows of w, without
// building the concatenation. Loop bodies get it in place of a MatMul of a
// Concat (fuseConcatMatMul): a recurrent cell's [x, h]·W. Its gradient,
// ConcatMatMulGrad, likewise computes dx_j = dy·w_jᵀ and dw's row blocks
// x_jᵀ·dy without the concatenation, so a loop keeps no concatenation of
// each step for its gradient either.
//
// ConcatMatMul: inputs x_1..x_n ([batch, d_j]), w ([rows, units]) and,
// with attr "pre", a [batch, units] matrix added to the product; output
// [batch, units]. Part j multiplies w's rows from rows[j] (attr "rows",
// []int; by default the parts' blocks follow each other from row 0 and
// cover w). A loop that hoists a part's product out of its body
// (hoistProducts) leaves the other parts, their rows and the hoisted
// product as pre; with attr "pre_zero" too, pre is known to be zeros (a
// product whose weight gradient the loop defers, deferProduct) and is not
// read. ConcatMatMulGrad: inputs x_1..x_n, w, dy; outputs
// dx_1..dx_n and dw, whose rows no part multiplies are zero; with attr
// "defer_dw" ([]bool per part), the rows of the parts marked are left zero
// too: the loop computes them over all steps at once.
var concatMatMulDef = &OpDef{
	Type: "ConcatMatMul",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		n := cmmParts(a, len(in))
		if err := checkConcatMatMul(in[:n+1], a.Ints("rows")); err != nil {
			return nil, err
		}
		w := in[n]
		out := Spec{DType: w.DType, Shape: Shape{in[0].Shape[0], w.Shape[1]}}
		if a.Bool("pre") {
			p := in[n+1]
			if p.DType != w.DType || len(p.Shape) != 2 {
				return nil, errors.Errorf("the added product is %s, want a %s matrix", p, w.DType)
			}
			out.Shape = Shape{mergeDimOf(out.Shape[0], p.Shape[0]), mergeDimOf(out.Shape[1], p.Shape[1])}
		}
		return []Spec{out}, nil
	},
	Kernel: func(c *KernelContext) error {
		n := cmmParts(c.Op.attrs, len(c.In))
		w, out := c.In[n], c.AllocUninit(0)
		B, U := out.Shape()[0], out.Shape()[1]
		beta := 0.0 // the first product (beta 0) writes every element
		if c.Op.attrs.Bool("pre") && !c.Op.attrs.Bool("pre_zero") {
			if err := copyDense(out, c.In[n+1]); err != nil {
				return err
			}
			beta = 1
		}
		rows := cmmRows(c.Op.attrs, c.In[:n])
		for j, x := range c.In[:n] {
			d := x.Shape()[1]
			if err := gemmAt(false, false, B, U, d, x, 0, d, w, rows[j]*U, U, beta, out, 0, U); err != nil {
				return err
			}
			beta = 1
		}
		if beta == 0 { // no part: out = 0·w
			clearDense(out)
		}
		return nil
	},
}

var concatMatMulGradDef = &OpDef{
	Type: "ConcatMatMulGrad",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if len(in) < 3 {
			return nil, errors.New("needs the parts, w and dy")
		}
		if err := checkConcatMatMul(in[:len(in)-1], a.Ints("rows")); err != nil {
			return nil, err
		}
		return append([]Spec(nil), in[:len(in)-1]...), nil
	},
	Kernel: func(c *KernelContext) error {
		n := len(c.In) - 2
		w, dy := c.In[n], c.In[n+1]
		B, U := dy.Shape()[0], dy.Shape()[1]
		rows := cmmRows(c.Op.attrs, c.In[:n])
		deferred := c.Op.attrs["defer_dw"].([]bool)
		var dw *tensor.Dense
		if c.Wanted(n) {
			dw = c.AllocUninit(n)
			// Rows no product below writes are zero.
			covered := 0
			for j, x := range c.In[:n] {
				if deferred == nil || !deferred[j] {
					covered += x.Shape()[1]
				}
			}
			if covered != w.Shape()[0] || rows[0] != 0 {
				clearDense(dw)
			}
		}
		for j, x := range c.In[:n] {
			d, off := x.Shape()[1], rows[j]
			if c.Wanted(j) {
				// dx_j = dy·w_jᵀ
				if err := gemmAt(false, true, B, d, U, dy, 0, U, w, off*U, U, 0, c.AllocUninit(j), 0, d); err != nil {
					return err
				}
			}
			if dw != nil && (deferred == nil || !deferred[j]) {
				// dw's rows [off, off+d) = x_jᵀ·dy
				if err := gemmAt(true, false, d, U, B, x, 0, d, dy, 0, U, 0, dw, off*U, U); err != nil {
					return err
				}
			}
		}
		return nil
	},
}

// cmmParts returns the number of parts of a ConcatMatMul with nIn inputs.
func cmmParts(a Attrs, nIn int) int {
	if a.Bool("pre") {
		return nIn - 2
	}
	return nIn - 1
}

// cmmRows returns the first row of w each part multiplies.
func cmmRows(a Attrs, parts []*tensor.Dense) []int {
	if r := a.Ints("rows"); r != nil {
		return r
	}
	rows := make([]int, len(parts))
	off := 0
	for j, x := range parts {
		rows[j] = off
		off += x.Shape()[1]
	}
	return rows
}

func mergeDimOf(a, b int) int {
	if a < 0 {
		return b
	}
	return a
}

// checkConcatMatMul checks the parts and w of a ConcatMatMul, whose parts
// start at w's rows rows (nil: one after the other from row 0, covering w).
func checkConcatMatMul(in []Spec, rows []int) error {
	n := len(in) - 1
	if n < 1 && rows == nil {
		return errors.New("needs at least one part and w")
	}
	w := in[n]
	if !w.DType.IsFloating() {
		return errors.Errorf("dtype %s is not float32 or float64", w.DType)
	}
	if len(w.Shape) != 2 {
		return errors.Errorf("w has shape %v, want a matrix", w.Shape)
	}
	if rows != nil && len(rows) != n {
		return errors.Errorf("%d row offsets for %d parts", len(rows), n)
	}
	total, known := 0, true
	for j, x := range in[:n] {
		if x.DType != w.DType {
			return errors.Errorf("part %d has dtype %s, w has %s", j, x.DType, w.DType)
		}
		if len(x.Shape) != 2 {
			return errors.Errorf("part %d has shape %v, want a matrix", j, x.Shape)
		}
		if x.Shape[1] < 0 {
			known = false
			continue
		}
		total += x.Shape[1]
		if rows != nil && w.Shape[0] >= 0 && (rows[j] < 0 || rows[j]+x.Shape[1] > w.Shape[0]) {
			return errors.Errorf("part %d multiplies rows [%d, %d) of w, which has %d", j, rows[j], rows[j]+x.Shape[1], w.Shape[0])
		}
	}
	if rows == nil && known && w.Shape[0] >= 0 && total != w.Shape[0] {
		return errors.Errorf("the parts have %d columns in all, w has %d rows", total, w.Shape[0])
	}
	return nil
}

// gemmAt computes c[co:] = op(a[ao:])·op(b[bo:]) + beta·c[co:] for the
// backing slices of a, b and c (float32 or float64), row-major with
// leading dimensions lda, ldb, ldc.
func gemmAt(tA, tB bool, m, n, k int, a *tensor.Dense, ao, lda int, b *tensor.Dense, bo, ldb int, beta float64, c *tensor.Dense, co, ldc int) error {
	t := func(x bool) gblas.Transpose {
		if x {
			return gblas.Trans
		}
		return gblas.NoTrans
	}
	if m == 0 || n == 0 {
		return nil
	}
	switch DTypeOf(c.Dtype()) {
	case Float32:
		aa, bb, cc := data[float32](a), data[float32](b), data[float32](c)
		if k == 0 {
			aa, bb = []float32{0}, []float32{0}
			ao, bo = 0, 0
		}
		blas.Sgemm(t(tA), t(tB), m, n, k, 1, aa[ao:], lda, bb[bo:], ldb, float32(beta), cc[co:], ldc)
	case Float64:
		aa, bb, cc := data[float64](a), data[float64](b), data[float64](c)
		if k == 0 {
			aa, bb = []float64{0}, []float64{0}
			ao, bo = 0, 0
		}
		blas.Dgemm(t(tA), t(tB), m, n, k, 1, aa[ao:], lda, bb[bo:], ldb, beta, cc[co:], ldc)
	default:
		return errors.Errorf("dtype %s is not float32 or float64", DTypeOf(c.Dtype()))
	}
	return nil
}

func init() {
	concatMatMulDef.Grad = func(op *Operation, dys []*Tensor) []*Tensor {
		n := cmmParts(op.attrs, len(op.inputs))
		in := make([]any, 0, n+2)
		for _, x := range op.inputs[:n+1] {
			in = append(in, x)
		}
		in = append(in, dys[0])
		deferred, _ := op.attrs["defer_dw"].([]bool)
		attrs := Attrs{"defer_dw": deferred}
		if r := op.attrs.Ints("rows"); r != nil {
			attrs["rows"] = r
		}
		g := AddOp(OpSpec{Def: concatMatMulGradDef, Name: "ConcatMatMulGrad", Inputs: in, Attrs: attrs})
		out := make([]*Tensor, len(op.inputs))
		for i := range out[:n+1] {
			out[i] = g.Output(i)
		}
		allDeferred := true
		for j := 0; j < n; j++ {
			if deferred == nil || !deferred[j] {
				allDeferred = false
			}
		}
		if allDeferred {
			out[n] = nil // no row of dw is computed per step
		}
		if op.attrs.Bool("pre") {
			out[n+1] = dys[0]
		}
		return out
	}
}

// fuseConcatMatMul turns, in loop body g, every MatMul (no transposes) of
// a Concat along axis 1 of matrices into a ConcatMatMul of the Concat's
// inputs, in place (the op keeps its name, id and output tensor, so its
// readers need no change); the Concat is then left to whoever else reads
// it, and a loop compiles it only if someone does.
func (g *Graph) fuseConcatMatMul() {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, op := range g.ops {
		if op.def != matMulDef || op.attrs.Bool("transpose_a") || op.attrs.Bool("transpose_b") {
			continue
		}
		cat := op.inputs[0].op
		if cat == nil || cat.def != concatDef || cat.g != g {
			continue
		}
		ax := cat.attrs.Int("axis", 0)
		if ax != 1 && ax != -1 {
			continue
		}
		specs := make([]Spec, 0, len(cat.inputs)+1)
		for _, x := range cat.inputs {
			specs = append(specs, x.spec)
		}
		specs = append(specs, op.inputs[1].spec)
		if checkConcatMatMul(specs, nil) != nil {
			continue
		}
		ok := true
		for _, s := range specs[:len(specs)-1] {
			if s.Shape[1] < 0 {
				ok = false
			}
		}
		if !ok {
			continue
		}
		in := append(append([]*Tensor(nil), cat.inputs...), op.inputs[1])
		rewrite(op, concatMatMulDef, in, Attrs{})
	}
}

// rewrite replaces op's definition, inputs and attrs in place (it keeps
// its name, id and output tensors, so its readers need no change) and
// keeps its form before as the one exported (exportForm).
func rewrite(op *Operation, def *OpDef, in []*Tensor, attrs Attrs) {
	was := *op
	attrs["export_as"] = &was
	op.def, op.inputs, op.attrs = def, in, attrs
}

// exportForm returns op as TF knows it: an op a loop body rewrote for
// speed (fuseConcatMatMul, hoistProducts) as the op it replaced
// (GraphDefs hold TF's ops), other ops as they are.
func exportForm(op *Operation) *Operation {
	for {
		was, ok := op.attrs["export_as"].(*Operation)
		if !ok {
			return op
		}
		op = was
	}
}

// copyDense copies src's elements into dst, of the same size and dtype.
func copyDense(dst, src *tensor.Dense) error {
	if dst.DataSize() != src.DataSize() {
		return errors.Errorf("%v values for %v", src.Shape(), dst.Shape())
	}
	switch DTypeOf(dst.Dtype()) {
	case Float32:
		copy(data[float32](dst), data[float32](src))
	case Float64:
		copy(data[float64](dst), data[float64](src))
	default:
		return errors.Errorf("dtype %s is not float32 or float64", DTypeOf(dst.Dtype()))
	}
	return nil
}

// clearDense sets d's elements to zero.
func clearDense(d *tensor.Dense) {
	switch b := backing(d).(type) {
	case []float32:
		clear(b)
	case []float64:
		clear(b)
	}
}
