package nn

import (
	"fmt"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// EmbeddingLookup returns the rows of params at ids
// (tf.nn.embedding_lookup): shape ids.shape + params.shape[1:]. params is a
// *tf.Variable or *tf.Tensor, or a slice of them ([]*tf.Variable,
// []*tf.Tensor, []any) holding the shards of one large tensor, split along
// axis 0 as PartitionStrategy says. ids are int32 or int64 (Go ints become
// int32). The gradient with respect to params is sparse (tf.IndexedSlices):
// optimizers update only the rows looked up. With several shards each
// shard's slices hold one row per id, at index -1 (skipped) where the id
// lives in another shard, where TF's hold the shard's own rows only: see
// tf.IndexedSlices.
//
// An id outside [0, rows) is an error at Run time naming the op, the id and
// the valid range, as on TF's CPU; the session stays usable.
//
// Options: tf.PartitionStrategy (tf.PartitionMod, the default, or
// tf.PartitionDiv), tf.MaxNorm (clip each embedding to this L2 norm),
// tf.Name (the name scope, default "embedding_lookup").
func EmbeddingLookup(params, ids any, opts ...tf.Option) *tf.Tensor {
	const fn = "nn.EmbeddingLookup"
	a, err := tfimpl.ParseArgs(fn, opts, "partition_strategy", "max_norm", "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	shards, err := paramList(fn, params)
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	name := a.Name()
	if name == "" {
		name = "embedding_lookup"
	}
	if a.Given("max_norm") && a.MaxNorm() <= 0 {
		return tfimpl.ErrTensor(errors.Errorf("%s at %s: max_norm %v must be positive", fn, tfimpl.CallerSite(), a.MaxNorm()))
	}
	var out *tf.Tensor
	if len(shards) == 1 {
		out = tf.Gather(shards[0], ids, tf.Name(name))
	} else {
		out = shardedLookup(fn, shards, ids, a.PartitionStrategy(), name)
	}
	if a.MaxNorm() > 0 && out.Err() == nil {
		// As TF's _clip: each embedding (the axes after ids') apart.
		ps := shards[0].Shape()
		if ps == nil || out.Shape() == nil {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: max_norm needs ids and params of known rank", fn, tfimpl.CallerSite()))
		}
		rank := len(out.Shape())
		idRank := rank - (len(ps) - 1)
		var axes []int
		for i := idRank; i < rank; i++ {
			axes = append(axes, i)
		}
		out = tf.ClipByNorm(out, a.MaxNorm(), tf.Axis(axes...))
	}
	return out
}

// paramList returns params as a list of shards.
func paramList(fn string, params any) ([]*tf.Tensor, error) {
	var list []any
	switch p := params.(type) {
	case []*tf.Variable:
		for _, v := range p {
			list = append(list, v)
		}
	case []*tf.Tensor:
		for _, t := range p {
			list = append(list, t)
		}
	case []any:
		list = p
	default:
		list = []any{params}
	}
	if len(list) == 0 {
		return nil, errors.Errorf("%s at %s: params is an empty list", fn, tfimpl.CallerSite())
	}
	out := make([]*tf.Tensor, len(list))
	for i, p := range list {
		switch p.(type) {
		case *tf.Tensor, *tf.Variable:
		default:
			return nil, errors.Errorf("%s at %s: params[%d] is a %T; want a *tf.Tensor or *tf.Variable", fn, tfimpl.CallerSite(), i, p)
		}
		t := asTensor(p, tf.Invalid)
		if t.Err() != nil {
			return nil, t.Err()
		}
		if t.Shape() != nil && len(t.Shape()) == 0 {
			return nil, errors.Errorf("%s at %s: params[%d] %q is a scalar; want rank 1 or more", fn, tfimpl.CallerSite(), i, t.Name())
		}
		out[i] = t
	}
	return out, nil
}

// shard says where each id lives among shards of the given row counts.
type shard struct {
	strategy tf.Partition
	rows     []int
}

// locate returns the shard and row of id, or ok false when id is outside
// [0, total).
func (s shard) locate(id int) (p, row int, ok bool) {
	n, total := len(s.rows), 0
	for _, r := range s.rows {
		total += r
	}
	if id < 0 || id >= total {
		return 0, 0, false
	}
	if s.strategy == tf.PartitionMod {
		p, row = id%n, id/n
	} else {
		per, extras := total/n, total%n
		if id < extras*(per+1) {
			p, row = id/(per+1), id%(per+1)
		} else {
			p, row = extras+(id-extras*(per+1))/per, (id-extras*(per+1))%per
		}
	}
	if row >= s.rows[p] {
		return p, row, false
	}
	return p, row, true
}

func (s shard) total() int {
	t := 0
	for _, r := range s.rows {
		t += r
	}
	return t
}

// shardedGatherDef looks ids (input 0) up in the shards (inputs 1..n).
var shardedGatherDef = &tf.OpDef{
	Type: "ShardedGather",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		ids := in[0]
		if !ids.DType.IsInteger() {
			return nil, errors.Errorf("ids have dtype %s; want int32 or int64", ids.DType)
		}
		first := in[1]
		for i, s := range in[1:] {
			if s.DType != first.DType {
				return nil, errors.Errorf("params[%d] has dtype %s, params[0] %s", i, s.DType, first.DType)
			}
			if len(s.Shape) != len(first.Shape) || !s.Shape[1:].IsCompatibleWith(first.Shape[1:]) {
				return nil, errors.Errorf("params[%d] has shape %v, params[0] %v: shards differ only in their first dimension", i, s.Shape, first.Shape)
			}
		}
		if ids.Shape == nil {
			return []tf.Spec{{DType: first.DType}}, nil
		}
		return []tf.Spec{{DType: first.DType, Shape: append(append(tf.Shape{}, ids.Shape...), first.Shape[1:]...)}}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		s := shardOf(c.Attrs())
		out := c.AllocUninit(0)
		inner := 1
		for _, d := range c.In[1].Shape()[1:] {
			inner *= d
		}
		for i, id := range idList(c.In[0]) {
			p, row, ok := s.locate(id)
			if !ok {
				return errors.Errorf("ids[%d] = %d is not in [0, %d)", i, id, s.total())
			}
			copyRow(out, c.In[1+p], i*inner, row*inner, inner)
		}
		return nil
	},
}

// shardIndicesDef gives, for each id (input 0), its row in shard "shard",
// or -1 when it lives in another shard: the indices of that shard's sparse
// gradient. (TF's per-shard IndexedSlices hold only the shard's rows; here
// every shape is known before a Run, so a shard's slices have one row per
// id, those of other shards at index -1 with zero values, which every
// consumer of IndexedSlices skips.)
var shardIndicesDef = &tf.OpDef{
	Type: "ShardIndices",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		return []tf.Spec{in[0]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		s, want := shardOf(c.Attrs()), c.Attrs().Int("shard", 0)
		out := c.AllocUninit(0)
		for i, id := range idList(c.In[0]) {
			p, row, ok := s.locate(id)
			if !ok {
				return errors.Errorf("ids[%d] = %d is not in [0, %d)", i, id, s.total())
			}
			if p != want {
				row = -1
			}
			switch o := out.Data().(type) {
			case []int32:
				o[i] = int32(row)
			case []int64:
				o[i] = int64(row)
			}
		}
		return nil
	},
}

// shardValuesDef keeps the rows of dy (input 0, shaped ids.shape +
// params.shape[1:]) whose ids (input 1) live in shard "shard" and zeroes the
// others: the values of that shard's sparse gradient. Rows of other shards
// are zero (and their index -1), so sums and norms over a shard's values
// (tf.GlobalNorm, tf.ClipByGlobalNorm) see only the shard's own rows, as
// TF's per-shard IndexedSlices. Its gradient is itself.
var shardValuesDef = &tf.OpDef{
	Type: "ShardValues",
	Infer: func(a tf.Attrs, in []tf.Spec) ([]tf.Spec, error) {
		return []tf.Spec{in[0]}, nil
	},
	Kernel: func(c *tf.KernelContext) error {
		s, want := shardOf(c.Attrs()), c.Attrs().Int("shard", 0)
		dy := c.In[0]
		out := c.Alloc(0) // zero where the row is another shard's
		ids := idList(c.In[1])
		inner := 1
		if len(ids) > 0 {
			inner = dy.Shape().TotalSize() / len(ids)
		}
		for i, id := range ids {
			p, _, ok := s.locate(id)
			if !ok {
				return errors.Errorf("ids[%d] = %d is not in [0, %d)", i, id, s.total())
			}
			if p == want {
				copyRow(out, dy, i*inner, i*inner, inner)
			}
		}
		return nil
	},
}

func shardOf(a tf.Attrs) shard {
	return shard{strategy: a["strategy"].(tf.Partition), rows: a.Ints("rows")}
}

// shardedLookup builds a lookup in several shards; their row counts must be
// known when the graph is built (as variables' are).
func shardedLookup(fn string, shards []*tf.Tensor, ids any, strategy tf.Partition, name string) *tf.Tensor {
	rows := make([]int, len(shards))
	for i, s := range shards {
		if s.Shape() == nil || s.Shape()[0] < 0 {
			return tfimpl.ErrTensor(errors.Errorf("%s at %s: shard %d %q has shape %v; sharded params need known row counts", fn, tfimpl.CallerSite(), i, s.Name(), s.Shape()))
		}
		rows[i] = s.Shape()[0]
	}
	if strategy != tf.PartitionMod && strategy != tf.PartitionDiv {
		return tfimpl.ErrTensor(errors.Errorf("%s at %s: unknown partition strategy %d", fn, tfimpl.CallerSite(), strategy))
	}
	idT := idTensor(ids, shards[0])
	in := []any{idT}
	for _, s := range shards {
		in = append(in, s)
	}
	return tf.AddOp(tf.OpSpec{Def: shardedGatherDef, Name: name, Inputs: in, Attrs: tf.Attrs{"strategy": strategy, "rows": rows}}).Output(0)
}

// idTensor turns ids given as Go values into an integer constant of their
// own type (not params' dtype).
func idTensor(ids any, like *tf.Tensor) any {
	switch ids.(type) {
	case *tf.Tensor, *tf.Variable:
		return ids
	}
	defer like.Graph().AsDefault()()
	return tf.Constant(ids, tf.Invalid, tf.Name("ids"))
}

// idList returns an integer tensor's values as ints.
func idList(d *tensor.Dense) []int { return kernels.Ints(kernels.Backing(d)) }

// copyRow copies n elements of src from so into dst at do.
func copyRow(dst, src interface{ Data() any }, do, so, n int) {
	switch d := dst.Data().(type) {
	case []float32:
		copy(d[do:do+n], src.Data().([]float32)[so:so+n])
	case []float64:
		copy(d[do:do+n], src.Data().([]float64)[so:so+n])
	case []int32:
		copy(d[do:do+n], src.Data().([]int32)[so:so+n])
	case []int64:
		copy(d[do:do+n], src.Data().([]int64)[so:so+n])
	default:
		panic(fmt.Sprintf("copyRow: %T", d))
	}
}

func init() {
	shardedGatherDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		in := op.Inputs()
		out := make([]*tf.Tensor, len(in))
		for p := range in[1:] {
			attrs := tf.Attrs{"strategy": op.Attrs()["strategy"], "rows": op.Attrs().Ints("rows"), "shard": p}
			ix := tf.AddOp(tf.OpSpec{Def: shardIndicesDef, Inputs: []any{in[0]}, Attrs: attrs}).Output(0)
			values := tf.AddOp(tf.OpSpec{Def: shardValuesDef, Inputs: []any{dy[0], in[0]}, Attrs: attrs}).Output(0)
			out[1+p] = tf.NewIndexedSlices(values, ix, in[1+p].Shape())
		}
		return out
	}
	shardValuesDef.Grad = func(op *tf.Operation, dy []*tf.Tensor) []*tf.Tensor {
		return []*tf.Tensor{tf.AddOp(tf.OpSpec{Def: shardValuesDef, Inputs: []any{dy[0], op.Inputs()[1]}, Attrs: op.Attrs()}).Output(0), nil}
	}
}
