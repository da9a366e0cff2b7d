package tf

import (
	"github.com/pkg/errors"
	gblas "gonum.org/v1/gonum/blas"

	"github.com/gorgoflow/gorgoflow/internal/blas"
)

// checkMatMulDTypes checks the dtypes of MatMul's and BatchMatMulV2's
// operands: the same, float32 or float64.
func checkMatMulDTypes(a, b DType) error {
	if a != b {
		return errors.Errorf("dtypes differ: a is %s, b is %s", a, b)
	}
	if !a.IsFloating() {
		return errors.Errorf("dtype %s is not float32 or float64", a)
	}
	return nil
}

var matMulDef = &OpDef{
	Type: "MatMul",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x, y := in[0], in[1]
		if err := checkMatMulDTypes(x.DType, y.DType); err != nil {
			return nil, err
		}
		if x.Shape == nil || y.Shape == nil {
			return []Spec{{DType: x.DType, Shape: Shape{None, None}}}, nil
		}
		if len(x.Shape) != 2 || len(y.Shape) != 2 {
			return nil, errors.Errorf("both operands must be matrices (rank 2), got ranks %d and %d", len(x.Shape), len(y.Shape))
		}
		m, k1 := x.Shape[0], x.Shape[1]
		if a.Bool("transpose_a") {
			m, k1 = k1, m
		}
		k2, n := y.Shape[0], y.Shape[1]
		if a.Bool("transpose_b") {
			k2, n = n, k2
		}
		if k1 >= 0 && k2 >= 0 && k1 != k2 {
			return nil, errors.Errorf("inner dimensions differ: %d and %d (shapes %v and %v)", k1, k2, x.Shape, y.Shape)
		}
		return []Spec{{DType: x.DType, Shape: Shape{m, n}}}, nil
	},
	Kernel: func(c *KernelContext) error {
		a, b := c.In[0], c.In[1]
		out := c.AllocUninit(0) // the product (beta 0, also for k = 0) writes every element
		ta, tb := c.Op.attrs.Bool("transpose_a"), c.Op.attrs.Bool("transpose_b")
		as, bs := a.Shape(), b.Shape()
		m, n := out.Shape()[0], out.Shape()[1]
		k := as[1]
		if ta {
			k = as[0]
		}
		tA, tB := gblas.NoTrans, gblas.NoTrans
		if ta {
			tA = gblas.Trans
		}
		if tb {
			tB = gblas.Trans
		}
		return blas.Gemm(tA, tB, m, n, k, backing(a), as[1], backing(b), bs[1], backing(out))
	},
}

// MatMul returns the matrix product a·b (tf.matmul). Operands of rank 2
// multiply as matrices (TF's MatMul); when either has a known rank above
// 2, each operand is a batch of matrices in its last two axes and the
// leading (batch) axes broadcast, as TF's BatchMatMulV2: [B, m, k]·[B, k,
// n] is [B, m, n], and [B, m, k]·[k, n] multiplies each of the B matrices
// by the one [k, n]. AdjointA and AdjointB (the transpose, for real
// numbers) are TF's adjoint_a and adjoint_b; giving both transpose and
// adjoint of one operand is TF's error.
//
// Options: TransposeA, TransposeB, AdjointA, AdjointB, Name.
func MatMul(a, b any, opts ...Option) *Tensor {
	o, err := parseOptions("tf.MatMul", opts, "transpose_a", "transpose_b", "adjoint_a", "adjoint_b", "name")
	if err != nil {
		return errorTensor(err)
	}
	if (o.transA && o.arr.adjA) || (o.transB && o.arr.adjB) {
		return errorTensor(errors.Errorf("tf.MatMul at %s: Only one of transpose_a and adjoint_a (transpose_b and adjoint_b) can be True", callerSite()))
	}
	ta, tb := o.transA || o.arr.adjA, o.transB || o.arr.adjB
	if staticRank(a) > 2 || staticRank(b) > 2 {
		return batchMatMul(o.name, a, b, ta, tb)
	}
	return AddOp(OpSpec{Def: matMulDef, Name: o.name, Inputs: []any{a, b},
		Attrs: Attrs{"transpose_a": ta, "transpose_b": tb}}).Output(0)
}

func init() {
	matMulDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		a, b, g := op.inputs[0], op.inputs[1], dy[0]
		ta, tb := op.attrs.Bool("transpose_a"), op.attrs.Bool("transpose_b")
		switch {
		case !ta && !tb:
			return []*Tensor{MatMul(g, b, TransposeB(true)), MatMul(a, g, TransposeA(true))}
		case !ta && tb:
			return []*Tensor{MatMul(g, b), MatMul(g, a, TransposeA(true))}
		case ta && !tb:
			return []*Tensor{MatMul(b, g, TransposeB(true)), MatMul(a, g)}
		}
		return []*Tensor{MatMul(b, g, TransposeA(true), TransposeB(true)), MatMul(g, a, TransposeA(true), TransposeB(true))}
	}
}
