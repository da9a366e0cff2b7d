package tf

import (
	"github.com/pkg/errors"
	gblas "gonum.org/v1/gonum/blas"

	"github.com/gorgoflow/gorgoflow/internal/blas"
	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- BatchMatMulV2: tf.matmul of rank >= 3 ----

// AdjointA multiplies by the adjoint of the first matrix (adjoint_a=True;
// the transpose, for real numbers).
func AdjointA(t bool) Option { return Option{"adjoint_a", func(o *options) { o.arr.adjA = t }} }

// AdjointB multiplies by the adjoint of the second matrix (adjoint_b=True).
func AdjointB(t bool) Option { return Option{"adjoint_b", func(o *options) { o.arr.adjB = t }} }

// batchMatMulShapes returns the batch shape (the broadcast of both
// operands' leading dimensions) and m, k, n of the products.
func batchMatMulShapes(a Attrs, xs, ys Shape) (Shape, [4]int, error) {
	var mkn [4]int
	if len(xs) < 2 || len(ys) < 2 {
		return nil, mkn, errors.Errorf("both operands must have rank >= 2, got shapes %v and %v", xs, ys)
	}
	batch, err := broadcastShape(xs[:len(xs)-2], ys[:len(ys)-2])
	if err != nil {
		return nil, mkn, errors.Wrapf(err, "the batch dimensions of shapes %v and %v do not broadcast", xs, ys)
	}
	m, k1 := xs[len(xs)-2], xs[len(xs)-1]
	if a.Bool("adj_x") {
		m, k1 = k1, m
	}
	k2, n := ys[len(ys)-2], ys[len(ys)-1]
	if a.Bool("adj_y") {
		k2, n = n, k2
	}
	if k1 >= 0 && k2 >= 0 && k1 != k2 {
		return nil, mkn, errors.Errorf("inner dimensions differ: %d and %d (shapes %v and %v)", k1, k2, xs, ys)
	}
	mkn[0], mkn[1], mkn[2] = m, mergeDim(k1, k2), n
	return batch, mkn, nil
}

var batchMatMulDef = &OpDef{
	Type: "BatchMatMulV2",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x, y := in[0], in[1]
		if err := checkMatMulDTypes(x.DType, y.DType); err != nil {
			return nil, err
		}
		if x.Shape == nil || y.Shape == nil {
			return []Spec{{DType: x.DType}}, nil
		}
		batch, mkn, err := batchMatMulShapes(a, x.Shape, y.Shape)
		if err != nil {
			return nil, err
		}
		return []Spec{{DType: x.DType, Shape: append(batch, mkn[0], mkn[2])}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x, y := c.In[0], c.In[1]
		xs, ys := []int(x.Shape()), []int(y.Shape())
		out := c.AllocUninit(0) // every product writes its block (beta 0)
		batch, mkn, err := batchMatMulShapes(c.Op.attrs, Shape(xs), Shape(ys))
		if err != nil {
			return err
		}
		m, k, n := mkn[0], mkn[1], mkn[2]
		tA, tB := gblas.NoTrans, gblas.NoTrans
		if c.Op.attrs.Bool("adj_x") {
			tA = gblas.Trans
		}
		if c.Op.attrs.Bool("adj_y") {
			tB = gblas.Trans
		}
		xb, yb := xs[:len(xs)-2], ys[:len(ys)-2]
		xst, yst := kernels.BroadcastStrides(xb, batch), kernels.BroadcastStrides(yb, batch)
		xsz, ysz, osz := xs[len(xs)-2]*xs[len(xs)-1], ys[len(ys)-2]*ys[len(ys)-1], m*n
		pos := make([]int, len(batch))
		xo, yo := 0, 0
		xd, yd, od := backing(x), backing(y), backing(out)
		for b := 0; b < kernels.Numel(batch); b++ {
			if osz > 0 {
				if err := blas.Gemm(tA, tB, m, n, k, part(xd, xo*xsz, xsz), xs[len(xs)-1], part(yd, yo*ysz, ysz), ys[len(ys)-1], part(od, b*osz, osz)); err != nil {
					return err
				}
			}
			for d := len(pos) - 1; d >= 0; d-- {
				pos[d]++
				xo += xst[d]
				yo += yst[d]
				if pos[d] < batch[d] {
					break
				}
				xo -= xst[d] * batch[d]
				yo -= yst[d] * batch[d]
				pos[d] = 0
			}
		}
		return nil
	},
}

// part returns n elements of a float backing slice from off.
func part(d any, off, n int) any {
	switch x := d.(type) {
	case []float32:
		return x[off : off+n]
	case []float64:
		return x[off : off+n]
	}
	return d
}

// staticRank returns the rank of an op argument when it is known while
// building (-1 otherwise).
func staticRank(v any) int {
	switch x := v.(type) {
	case *Tensor:
		if x == nil || x.err != nil || x.spec.Shape == nil {
			return -1
		}
		return len(x.spec.Shape)
	case *Variable:
		if x == nil || x.err != nil || x.shape == nil {
			return -1
		}
		return len(x.shape)
	}
	d, err := convertToTensor(v, Invalid)
	if err != nil {
		return -1
	}
	return len(d.Shape())
}

// batchMatMul builds tf.matmul of operands of rank >= 3 (TF's
// BatchMatMulV2, batch dimensions broadcast).
func batchMatMul(name string, a, b any, adjA, adjB bool) *Tensor {
	return AddOp(OpSpec{Def: batchMatMulDef, Name: name, Inputs: []any{a, b}, Attrs: Attrs{"adj_x": adjA, "adj_y": adjB}}).Output(0)
}

func init() {
	// TF's _BatchMatMulV2 gradient: the products of the 2-D case, summed
	// over the batch dimensions an operand was broadcast along.
	batchMatMulDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		x, y, g := op.inputs[0], op.inputs[1], dy[0]
		ax, ay := op.attrs.Bool("adj_x"), op.attrs.Bool("adj_y")
		var gx, gy *Tensor
		switch {
		case !ax && !ay:
			gx, gy = batchMatMul("", g, y, false, true), batchMatMul("", x, g, true, false)
		case !ax && ay:
			gx, gy = batchMatMul("", g, y, false, false), batchMatMul("", g, x, true, false)
		case ax && !ay:
			gx, gy = batchMatMul("", y, g, false, true), batchMatMul("", x, g, false, false)
		default:
			gx, gy = batchMatMul("", y, g, true, true), batchMatMul("", g, x, true, true)
		}
		return []*Tensor{sumTo(gx, x), sumTo(gy, y)}
	}
}
