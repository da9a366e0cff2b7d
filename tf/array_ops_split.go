package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// ---- Split ----

// splitSizes returns the pieces' sizes along an axis of length dim (None
// when unknown) for the attrs of a Split: "num" equal pieces, or "sizes"
// with at most one -1 (the rest of the axis).
func splitSizes(a Attrs, dim int) ([]int, error) {
	if sizes := a.Ints("sizes"); sizes != nil {
		out := append([]int(nil), sizes...)
		rest, sum := -1, 0
		for i, s := range sizes {
			switch {
			case s == -1 && rest >= 0:
				return nil, errors.Errorf("size_splits %v has more than one -1: at most one size may be inferred", sizes)
			case s == -1:
				rest = i
			case s < 0:
				return nil, errors.Errorf("size_splits %v has a negative size %d", sizes, s)
			default:
				sum += s
			}
		}
		switch {
		case dim < 0:
		case rest >= 0 && sum > dim:
			return nil, errors.Errorf("size_splits %v add up to %d, more than the dimension's %d", sizes, sum, dim)
		case rest >= 0:
			out[rest] = dim - sum
		case sum != dim:
			return nil, errors.Errorf("Determined shape must either match input shape along split_dim exactly if fully specified, or be less than the size of the input along split_dim if not fully specified. Got: size_splits %v add up to %d, the dimension is %d", sizes, sum, dim)
		}
		return out, nil
	}
	n := a.Int("num", 0)
	out := make([]int, n)
	for i := range out {
		out[i] = None
	}
	if dim >= 0 {
		if dim%n != 0 {
			return nil, errors.Errorf("Number of ways to split should evenly divide the split dimension, but got split_dim of size %d and num_split %d", dim, n)
		}
		for i := range out {
			out[i] = dim / n
		}
	}
	return out, nil
}

var splitDef = &OpDef{
	Type: "Split",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		s := in[0].Shape
		n := a.Int("num", 0)
		if sizes := a.Ints("sizes"); sizes != nil {
			n = len(sizes)
		}
		if s == nil {
			out := make([]Spec, n)
			for i := range out {
				out[i] = Spec{DType: in[0].DType}
			}
			return out, nil
		}
		axis, err := normAxis(a.Int("axis", 0), len(s), "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "cannot split a tensor of shape %v (rank %d)", s, len(s))
		}
		sizes, err := splitSizes(a, s[axis])
		if err != nil {
			return nil, errors.Wrapf(err, "splitting shape %v along axis %d", s, axis)
		}
		out := make([]Spec, len(sizes))
		for i, k := range sizes {
			sh := s.Clone()
			sh[axis] = k
			out[i] = Spec{DType: in[0].DType, Shape: sh}
		}
		return out, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		axis, _ := normAxis(c.Op.attrs.Int("axis", 0), len(xs), "axis")
		outs, ss := make([]any, len(c.OutSpecs)), make([][]int, len(c.OutSpecs))
		for i, sp := range c.OutSpecs {
			outs[i], ss[i] = backing(c.AllocUninit(i)), sp.Shape // every element written below
		}
		kernels.Split(outs, ss, backing(x), xs, axis)
		return nil
	},
}

func init() {
	// The gradient of Split is the concatenation of the pieces' gradients
	// (zeros for pieces nothing depends on), as TF's _SplitGrad.
	splitDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		in := make([]any, len(dy))
		for i, d := range dy {
			if d == nil {
				d = ZerosLike(op.outputs[i])
			}
			in[i] = d
		}
		return []*Tensor{AddOp(OpSpec{Def: concatDef, Name: "split_grad", Inputs: in, Attrs: Attrs{"axis": op.attrs.Int("axis", 0)}}).Output(0)}
	}
}

// Split cuts value along axis into pieces (tf.split(value,
// num_or_size_splits, axis)). numOrSizeSplits is an int, the number of
// equal pieces (it must divide the dimension), or an []int of the pieces'
// sizes, one of which may be -1 for the rest of the dimension. axis may be
// negative: [-rank, rank). The result has one tensor per piece; when the op
// cannot be built, it holds one tensor carrying the error. The gradient
// concatenates the pieces' gradients. Options: Name.
func Split(value any, numOrSizeSplits any, axis int, opts ...Option) []*Tensor {
	name, err := nameOnly("tf.Split", opts)
	if err != nil {
		return []*Tensor{errorTensor(err)}
	}
	attrs := Attrs{"axis": axis}
	switch n := numOrSizeSplits.(type) {
	case int:
		if n <= 0 {
			return []*Tensor{errorTensor(errors.Errorf("tf.Split at %s: num_or_size_splits %d; want a positive number of pieces or a list of sizes", callerSite(), n))}
		}
		attrs["num"] = n
	case []int:
		if len(n) == 0 {
			return []*Tensor{errorTensor(errors.Errorf("tf.Split at %s: num_or_size_splits is an empty list of sizes", callerSite()))}
		}
		attrs["sizes"] = append([]int(nil), n...)
	default:
		return []*Tensor{errorTensor(errors.Errorf("tf.Split at %s: num_or_size_splits is a %T; want an int (number of pieces) or an []int (sizes)", callerSite(), numOrSizeSplits))}
	}
	if name == "" {
		name = "split"
	}
	op := AddOp(OpSpec{Def: splitDef, Name: name, Inputs: []any{value}, Attrs: attrs})
	if op.err != nil {
		return []*Tensor{op.Output(0)}
	}
	return op.outputs
}
