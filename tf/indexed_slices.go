package tf

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
)

// IndexedSlices is a sparse view of a dense tensor, as TF's
// tf.IndexedSlices: the rows Indices[i] of a tensor of shape DenseShape hold
// Values[i]; the other rows are zero, and a row listed twice holds the sum of
// its values. The gradients of Gather (axis 0) and of nn.EmbeddingLookup are
// IndexedSlices, so that training a large embedding touches only the rows a
// batch uses.
//
// In gorgoflow an IndexedSlices is also an ordinary *Tensor: tf.Gradients
// returns the dense tensor it stands for, computed only where something
// reads it (an op that needs a dense input, a fetch). Optimizers and
// tf.Gradients' own accumulation ask IndexedSlicesOf for the sparse parts and
// never make the dense value.
//
// An index -1 marks a row of Values that belongs to no row of the tensor;
// it is skipped. The gradient of a sharded embedding lookup uses it. TF
// gives each shard the rows of its own ids only (a DynamicPartition of the
// ids, whose length is known only at run time); gorgoflow's engine infers
// every output's shape before a Run (a program and its memory plan are
// compiled per shape signature of the feeds, and a kernel whose output
// differs from the inferred shape is an error), so it has no op with a
// data-dependent shape, and each shard's slices have one row per id,
// index -1 and zero values where the id lives in another shard. The dense
// gradient, sums and norms of the values (tf.GlobalNorm,
// tf.ClipByGlobalNorm) and every optimizer's update are TF's; what
// differs is what code reading Indices and Values sees (as many rows as
// ids, some -1) and the work per shard (every id's row is visited).
// tf.Graph.AsGraphDef writes TF's form (DynamicPartition, Gather,
// DynamicStitch; each shard's slices its own rows).
type IndexedSlices struct {
	// Values holds the slices: shape Indices.Shape() + DenseShape[1:].
	Values *Tensor
	// Indices holds the rows (int32 or int64) of the dense tensor.
	Indices *Tensor
	// DenseShape is the static shape of the dense tensor (None where unknown
	// while building).
	DenseShape Shape
	dense      *Tensor
}

// Dense returns the dense tensor the slices stand for.
func (s *IndexedSlices) Dense() *Tensor { return s.dense }

// withValues returns the dense tensor of the IndexedSlices with s's indices
// and dense shape and the given values (shaped as s.Values).
func (s *IndexedSlices) withValues(values *Tensor) *Tensor {
	op := s.dense.op
	if len(op.inputs) == 3 {
		return newIndexedSlices(values, s.Indices, op.inputs[2])
	}
	return AddOp(OpSpec{Def: indexedSlicesDef, Inputs: []any{values, s.Indices}, Attrs: Attrs{"shape": s.dense.spec.Shape.Clone()}}).Output(0)
}

// IndexedSlicesOf returns the sparse parts of t when t is an IndexedSlices'
// dense tensor (a sparse gradient), else nil.
func IndexedSlicesOf(t *Tensor) *IndexedSlices {
	if t == nil || t.err != nil || t.op == nil || t.op.def != indexedSlicesDef {
		return nil
	}
	return &IndexedSlices{Values: t.op.inputs[0], Indices: t.op.inputs[1], DenseShape: t.spec.Shape, dense: t}
}

// indexedSlicesDef is the dense value of an IndexedSlices: inputs values,
// indices and, optionally, a tensor shaped as the dense tensor (else the
// attribute "shape" gives it). Its kernel scatter-adds the values into
// zeros.
var indexedSlicesDef = &OpDef{
	Type: "IndexedSlicesToDense",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		v, ix := in[0], in[1]
		if !v.DType.IsFloating() {
			return nil, errors.Errorf("values have dtype %s; want float32 or float64", v.DType)
		}
		if !ix.DType.IsInteger() {
			return nil, errors.Errorf("indices have dtype %s; want int32 or int64", ix.DType)
		}
		var dense Shape
		if len(in) == 3 {
			dense = in[2].Shape
		} else {
			dense, _ = a["shape"].(Shape)
		}
		if dense == nil || len(dense) == 0 {
			return nil, errors.Errorf("dense shape %v must have rank 1 or more", dense)
		}
		if v.Shape != nil && ix.Shape != nil {
			want := append(append(Shape{}, ix.Shape...), dense[1:]...)
			if !v.Shape.IsCompatibleWith(want) {
				return nil, errors.Errorf("values have shape %v; with indices of shape %v and dense shape %v they must have shape %v", v.Shape, ix.Shape, dense, want)
			}
		}
		return []Spec{{DType: v.DType, Shape: dense.Clone()}}, nil
	},
	Kernel: func(c *KernelContext) error {
		v, ix := c.In[0], c.In[1]
		out := c.Alloc(0) // scatter-added into
		ds := []int(out.Shape())
		rows := ds[0]
		idx := kernels.Ints(backing(ix))
		for i, r := range idx {
			if r < -1 || r >= rows {
				return errors.Errorf("IndexedSlices: indices[%d] = %d is not in [0, %d)", i, r, rows)
			}
		}
		kernels.ScatterAdd(backing(out), ds, 0, idx, backing(v)) // rows at -1 skipped
		return nil
	},
}

// gatherRowsDef gathers rows of a dense tensor (input 0) at indices
// (input 1), giving zeros for index -1: the gradient of an IndexedSlices'
// dense value with respect to its values. Input 2 is shaped as the values.
var gatherRowsDef = &OpDef{
	Type: "GatherRows",
	Infer: func(a Attrs, in []Spec) ([]Spec, error) {
		return []Spec{{DType: in[0].DType, Shape: in[2].Shape}}, nil
	},
	Kernel: func(c *KernelContext) error {
		d := c.In[0]
		ds := []int(d.Shape())
		idx := kernels.Ints(backing(c.In[1]))
		for i, r := range idx {
			if r >= ds[0] {
				return errors.Errorf("indices[%d] = %d is not in [0, %d)", i, r, ds[0])
			}
		}
		out := c.Alloc(0) // zero rows at index -1
		kernels.Gather(backing(out), backing(d), ds, 0, idx)
		return nil
	},
}

// newIndexedSlices returns the dense tensor of the slices (values, indices)
// of a tensor shaped as like.
func newIndexedSlices(values, indices, like *Tensor) *Tensor {
	return AddOp(OpSpec{Def: indexedSlicesDef, Inputs: []any{values, indices, like}}).Output(0)
}

// NewIndexedSlices returns the dense tensor of shape denseShape whose rows
// indices hold values (tf.IndexedSlices(values, indices, dense_shape),
// converted to a tensor only where read densely). values has shape
// indices.shape + denseShape[1:]; denseShape must be fully defined. Use
// IndexedSlicesOf on the result to get the parts back.
// Options: Name.
func NewIndexedSlices(values, indices any, denseShape Shape, opts ...Option) *Tensor {
	name, err := nameOnly("tf.NewIndexedSlices", opts)
	if err != nil {
		return errorTensor(err)
	}
	if !denseShape.IsFullyDefined() || len(denseShape) == 0 {
		return errorTensor(errors.Errorf("tf.NewIndexedSlices at %s: dense shape %v must be fully defined, of rank 1 or more", callerSite(), denseShape))
	}
	indices, err = indexInput(values, indices)
	if err != nil {
		return errorTensor(errors.Wrapf(err, "tf.NewIndexedSlices at %s: indices", callerSite()))
	}
	return AddOp(OpSpec{Def: indexedSlicesDef, Name: name, Inputs: []any{values, indices}, Attrs: Attrs{"shape": denseShape.Clone()}}).Output(0)
}

// aggregateSparse sums gradients that are all IndexedSlices into one by
// concatenating their values and indices, as TF's
// _AggregateIndexedSlicesGradients; it returns nil when some are dense.
func aggregateSparse(gs []*Tensor) *Tensor {
	var values, indices []any
	dt := Invalid
	for _, g := range gs {
		s := IndexedSlicesOf(g)
		if s == nil || s.Values.spec.Shape == nil || s.Indices.spec.Shape == nil {
			return nil
		}
		if dt == Invalid {
			dt = s.Indices.spec.DType
		} else if dt != s.Indices.spec.DType {
			dt = Int64
		}
		values = append(values, s.Values)
		indices = append(indices, s.Indices)
	}
	like := gs[0].op.inputs[len(gs[0].op.inputs)-1]
	flat := func(i int) (*Tensor, *Tensor) {
		v, ix := values[i].(*Tensor), indices[i].(*Tensor)
		if len(ix.spec.Shape) != 1 {
			rest := v.spec.Shape[len(ix.spec.Shape):]
			if !rest.IsFullyDefined() {
				return nil, nil
			}
			v = Reshape(v, append([]int{-1}, rest...))
			ix = Reshape(ix, []int{-1})
		}
		if ix.spec.DType != dt {
			ix = Cast(ix, dt)
		}
		return v, ix
	}
	for i := range values {
		v, ix := flat(i)
		if v == nil {
			return nil
		}
		values[i], indices[i] = v, ix
	}
	v, ix := Concat(values, 0), Concat(indices, 0)
	if len(gs[0].op.inputs) == 3 {
		return newIndexedSlices(v, ix, like)
	}
	return AddOp(OpSpec{Def: indexedSlicesDef, Inputs: []any{v, ix}, Attrs: Attrs{"shape": gs[0].spec.Shape.Clone()}}).Output(0)
}

func init() {
	indexedSlicesDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		g := AddOp(OpSpec{Def: gatherRowsDef, Inputs: []any{dy[0], op.inputs[1], op.inputs[0]}}).Output(0)
		out := make([]*Tensor, len(op.inputs))
		out[0] = g
		return out
	}
	gatherRowsDef.Grad = func(op *Operation, dy []*Tensor) []*Tensor {
		return []*Tensor{newIndexedSlices(dy[0], op.inputs[1], op.inputs[0]), nil, nil}
	}
}

// indexInput converts Go values given as indices to a constant of their own
// integer type (not the dtype of the op's other inputs), in the graph of
// like.
func indexInput(like, indices any) (any, error) {
	switch indices.(type) {
	case *Tensor, *Variable:
		return indices, nil
	}
	d, err := convertToTensor(indices, Invalid)
	if err != nil {
		return nil, err
	}
	if dt := DTypeOf(d.Dtype()); !dt.IsInteger() {
		return nil, errors.Errorf("indices have dtype %s; want int32 or int64", dt)
	}
	g, err := pickGraph(OpSpec{Def: gatherDef, Inputs: []any{like}})
	if err != nil {
		return nil, err
	}
	return g.constOp(d, "indices"), nil
}
