package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// The ops that reverse the order of elements along axes: Reverse (TF's
// ReverseV2) and ReverseSequence, the two halves of a bidirectional RNN's
// backward direction (tf.nn.bidirectional_dynamic_rnn).

// reverseAxes checks axes against rank and returns, per axis of the
// tensor, whether it is reversed.
func reverseAxes(axes []int, rank int) ([]bool, error) {
	rev := make([]bool, rank)
	for i, a := range axes {
		n, err := normAxis(a, rank, "axis")
		if err != nil {
			return nil, errors.Wrapf(err, "axis[%d] for a tensor of rank %d", i, rank)
		}
		if rev[n] {
			return nil, errors.Errorf("axis %v names axis %d more than once: each axis may be reversed once", axes, n)
		}
		rev[n] = true
	}
	return rev, nil
}

var reverseDef = &OpDef{
	Type: "ReverseV2",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x := in[0]
		if x.Shape != nil {
			if _, err := reverseAxes(a.Ints("axis"), len(x.Shape)); err != nil {
				return nil, err
			}
		}
		return []Spec{x}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		rev, err := reverseAxes(c.Op.attrs.Ints("axis"), len(xs))
		if err != nil {
			return err
		}
		kernels.Reverse(backing(c.AllocUninit(0)), backing(x), xs, rev) // every element written
		return nil
	},
}

// Reverse reverses x along the axes in axis (tf.reverse, TF's op
// ReverseV2): element i of a reversed axis of length n comes from element
// n-1-i. Axes may be negative (counted from the end, as TF's) and must be
// distinct; an empty axis copies x. The result has x's dtype and shape; its
// gradient reverses the incoming gradient along the same axes. Every dtype
// is accepted. Options: Name.
func Reverse(x any, axis []int, opts ...Option) *Tensor {
	name, err := nameOnly("tf.Reverse", opts)
	if err != nil {
		return errorTensor(err)
	}
	return AddOp(OpSpec{Def: reverseDef, Name: name, Inputs: []any{x}, Attrs: Attrs{"axis": append([]int{}, axis...)}}).Output(0)
}

// checkSeqAxes checks ReverseSequence's seq_dim and batch_dim against the
// input's rank (rank < 0: unknown).
func checkSeqAxes(seq, batch, rank int) error {
	switch {
	case seq < 0:
		return errors.Errorf("seq_axis is %d; want an axis >= 0 (TF's ReverseSequence takes no negative axes)", seq)
	case batch < 0:
		return errors.Errorf("batch_axis is %d; want an axis >= 0 (TF's ReverseSequence takes no negative axes)", batch)
	case seq == batch:
		return errors.Errorf("seq_axis and batch_axis are both %d; want two different axes", seq)
	case rank >= 0 && seq >= rank:
		return errors.Errorf("seq_axis is %d, the input has rank %d: seq_axis must be < input rank", seq, rank)
	case rank >= 0 && batch >= rank:
		return errors.Errorf("batch_axis is %d, the input has rank %d: batch_axis must be < input rank", batch, rank)
	}
	return nil
}

var reverseSequenceDef = &OpDef{
	Type: "ReverseSequence",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		x, l := in[0], in[1]
		seq, batch := a.Int("seq_dim", 0), a.Int("batch_dim", 0)
		if l.DType != Int32 && l.DType != Int64 {
			return nil, errors.Errorf("seq_lengths have dtype %s; want int32 or int64", l.DType)
		}
		if l.Shape != nil && len(l.Shape) != 1 {
			return nil, errors.Errorf("seq_lengths have shape %v; want a vector [batch] (one length per index of the batch axis)", l.Shape)
		}
		rank := -1
		if x.Shape != nil {
			rank = len(x.Shape)
		}
		if err := checkSeqAxes(seq, batch, rank); err != nil {
			return nil, err
		}
		if x.Shape == nil {
			return []Spec{{DType: x.DType}}, nil
		}
		s := append(Shape{}, x.Shape...)
		if l.Shape != nil {
			n := l.Shape[0]
			if s[batch] >= 0 && n >= 0 && s[batch] != n {
				return nil, errors.Errorf("seq_lengths hold %d lengths but the input's batch axis %d has %d entries: want one length per entry (input shape %v)", n, batch, s[batch], x.Shape)
			}
			s[batch] = mergeDim(s[batch], n)
		}
		return []Spec{{DType: x.DType, Shape: s}}, nil
	},
	Kernel: func(c *KernelContext) error {
		x := c.In[0]
		xs := []int(x.Shape())
		seq, batch := c.Op.attrs.Int("seq_dim", 0), c.Op.attrs.Int("batch_dim", 0)
		lens := kernels.Ints(backing(c.In[1]))
		for b, n := range lens {
			if n < 0 || n > xs[seq] {
				return errors.Errorf("seq_lengths[%d] = %d is not in [0, %d], the length of the input's seq_axis %d (input shape %v)", b, n, xs[seq], seq, xs)
			}
		}
		kernels.ReverseSequence(backing(c.AllocUninit(0)), backing(x), xs, seq, batch, lens) // every element written
		return nil
	},
}

// ReverseSequence reverses variable-length slices (tf.reverse_sequence):
// for each index b of input's batch axis, the first seqLengths[b] elements
// along seqAxis are reversed and the others are copied unchanged.
// seqLengths is an int32 or int64 vector with one length per entry of the
// batch axis (Go ints become int32); a length outside [0, input's seqAxis
// length] is an error at Run time naming it, as TF's. seqAxis and the
// batch axis (Options BatchAxis, default 0, TF's batch_axis) must be
// different axes >= 0 of input. The gradient reverses the incoming
// gradient with the same lengths; seqLengths has none. Every dtype is
// accepted. Options: BatchAxis, Name.
func ReverseSequence(input, seqLengths any, seqAxis int, opts ...Option) *Tensor {
	o, err := parseOptions("tf.ReverseSequence", opts, "batch_axis", "name")
	if err != nil {
		return errorTensor(err)
	}
	seqLengths, err = indexInput(input, seqLengths)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.ReverseSequence at %s: seq_lengths", callerSite()))
	}
	return AddOp(OpSpec{Def: reverseSequenceDef, Name: o.name, Inputs: []any{input, seqLengths},
		Attrs: Attrs{"seq_dim": seqAxis, "batch_dim": o.batchAxis}}).Output(0)
}

func init() {
	reverseDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: reverseDef, Inputs: []any{dy[0]}, Attrs: op.attrs}).Output(0)}
	}
	reverseSequenceDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{AddOp(OpSpec{Def: reverseSequenceDef, Inputs: []any{dy[0], op.inputs[1]}, Attrs: op.attrs}).Output(0), nil}
	}
}
