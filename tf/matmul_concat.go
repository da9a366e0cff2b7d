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
// ConcatMatMul: inputs x_1..x_n ([batch, d_j]) and w ([Σ d_j, units]);
// output [batch, units]. ConcatMatMulGrad: inputs x_1..x_n, w, dy; outputs
// dx_1..dx_n and dw.
var concatMatMulDef = &OpDef{
	Type: "ConcatMatMul",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		if err := checkConcatMatMul(in); err != nil {
			return nil, err
		}
		w := in[len(in)-1]
		return []Spec{{DType: w.DType, Shape: Shape{in[0].Shape[0], w.Shape[1]}}}, nil
	},
	Kernel: func(c *KernelContext) error {
		n := len(c.In) - 1
		w, out := c.In[n], c.AllocUninit(0) // the first product (beta 0) writes every element
		B, U := out.Shape()[0], out.Shape()[1]
		off := 0
		for j, x := range c.In[:n] {
			d := x.Shape()[1]
			beta := 1.0
			if j == 0 {
				beta = 0
			}
			if err := gemmAt(false, false, B, U, d, x, 0, d, w, off*U, U, beta, out, 0, U); err != nil {
				return err
			}
			off += d
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
		if err := checkConcatMatMul(in[:len(in)-1]); err != nil {
			return nil, err
		}
		return append([]Spec(nil), in[:len(in)-1]...), nil
	},
	Kernel: func(c *KernelContext) error {
		n := len(c.In) - 2
		w, dy := c.In[n], c.In[n+1]
		B, U := dy.Shape()[0], dy.Shape()[1]
		var dw = c.Out[n]
		if c.Wanted(n) {
			dw = c.AllocUninit(n)
		}
		off := 0
		for j, x := range c.In[:n] {
			d := x.Shape()[1]
			if c.Wanted(j) {
				// dx_j = dy·w_jᵀ
				if err := gemmAt(false, true, B, d, U, dy, 0, U, w, off*U, U, 0, c.AllocUninit(j), 0, d); err != nil {
					return err
				}
			}
			if dw != nil {
				// dw's rows [off, off+d) = x_jᵀ·dy
				if err := gemmAt(true, false, d, U, B, x, 0, d, dy, 0, U, 0, dw, off*U, U); err != nil {
					return err
				}
			}
			off += d
		}
		return nil
	},
}

// checkConcatMatMul checks the parts and w of a ConcatMatMul.
func checkConcatMatMul(in []Spec) error {
	n := len(in) - 1
	if n < 1 {
		return errors.New("needs at least one part and w")
	}
	w := in[n]
	if !w.DType.IsFloating() {
		return errors.Errorf("dtype %s is not float32 or float64", w.DType)
	}
	if len(w.Shape) != 2 {
		return errors.Errorf("w has shape %v, want a matrix", w.Shape)
	}
	rows, known := 0, true
	for j, x := range in[:n] {
		if x.DType != w.DType {
			return errors.Errorf("part %d has dtype %s, w has %s", j, x.DType, w.DType)
		}
		if len(x.Shape) != 2 {
			return errors.Errorf("part %d has shape %v, want a matrix", j, x.Shape)
		}
		if x.Shape[1] < 0 {
			known = false
		}
		rows += x.Shape[1]
	}
	if known && w.Shape[0] >= 0 && rows != w.Shape[0] {
		return errors.Errorf("the parts have %d columns in all, w has %d rows", rows, w.Shape[0])
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
	switch cc := Backing(c).(type) {
	case []float32:
		aa, bb := data[float32](a), data[float32](b)
		if k == 0 {
			aa, bb = []float32{0}, []float32{0}
			ao, bo = 0, 0
		}
		blas.Sgemm(t(tA), t(tB), m, n, k, 1, aa[ao:], lda, bb[bo:], ldb, float32(beta), cc[co:], ldc)
	case []float64:
		aa, bb := data[float64](a), data[float64](b)
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
		in := make([]any, 0, len(op.inputs)+1)
		for _, x := range op.inputs {
			in = append(in, x)
		}
		in = append(in, dys[0])
		g := AddOp(OpSpec{Def: concatMatMulGradDef, Name: "ConcatMatMulGrad", Inputs: in})
		out := make([]*Tensor, len(op.inputs))
		for i := range out {
			out[i] = g.Output(i)
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
		if checkConcatMatMul(specs) != nil {
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
		op.def, op.inputs, op.attrs = concatMatMulDef, in, Attrs{"matmul_of": op.inputs[0]}
	}
}

// exportForm returns op as TF knows it: a ConcatMatMul made by
// fuseConcatMatMul as the MatMul of the Concat it replaced (GraphDefs
// hold TF's ops), other ops as they are.
func exportForm(op *Operation) *Operation {
	if op.def != concatMatMulDef {
		return op
	}
	a, ok := op.attrs["matmul_of"].(*Tensor)
	if !ok {
		return op
	}
	o := *op
	o.def, o.inputs = matMulDef, []*Tensor{a, op.inputs[len(op.inputs)-1]}
	o.attrs = Attrs{"transpose_a": false, "transpose_b": false}
	return &o
}
