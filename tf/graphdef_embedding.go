package tf

import (
	"strconv"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// The TF form of a lookup in sharded params (package nn's ShardedGather,
// and its gradient's ShardIndices and ShardValues), as TF 1.x's
// embedding_lookup builds it (_embedding_lookup_and_transform): the flat
// ids' shard and row by partition_strategy, DynamicPartition of the rows
// and of the ids' positions by shard, a Gather per shard, DynamicStitch
// of the results. Each shard's sparse gradient is TF's: the rows of that
// shard only (DynamicPartition's part) and dy's rows at their positions,
// whose number is known only at run time, where gorgoflow's own graph,
// whose shapes are all known before a Run, has one row per id and index
// -1 for the ids of other shards (see IndexedSlices).

// shardParts writes the partition of the ids (node output ids, of dtype
// idt) among the shards of the op's attrs and returns the
// DynamicPartition of the ids' rows in their shards and of their
// positions (int32), whose output p is shard p's.
func (e *opExport) shardParts(ids string, idt DType) (rows, positions string, err error) {
	a := e.op.attrs
	sizes := a.Ints("rows")
	strategy, _ := a["strategy"].(Partition)
	n := len(sizes)
	total := 0
	for _, r := range sizes {
		total += r
	}
	t := attrs{"T": aType(idt)}
	c := func(name string, v int) string { return e.s.scalar(e.name+"/"+name, idt, float64(v)) }
	flat := e.sub("flat_ids", "Reshape", []string{ids, e.s.ints(e.name+"/flat_ids/shape", -1)},
		attrs{"T": aType(idt), "Tshape": aType(Int32)})
	var assign, row string
	switch strategy {
	case PartitionMod:
		assign = e.sub("p_assignments", "FloorMod", []string{flat, c("np", n)}, t)
		row = e.sub("new_ids", "FloorDiv", []string{flat, c("np_1", n)}, t)
	case PartitionDiv:
		per, extras := total/n, total%n
		if per == 0 {
			return "", "", errors.Errorf("%d shards of %d rows: TF's div strategy needs at least one row per shard", n, total)
		}
		// max(id // (per+1), (id - extras) // per); the first extras
		// shards hold per+1 rows.
		a1 := e.sub("floordiv", "FloorDiv", []string{flat, c("ids_per_partition_1", per+1)}, t)
		shifted := e.sub("sub", "Sub", []string{flat, c("extras", extras)}, t)
		a2 := e.sub("floordiv_1", "FloorDiv", []string{shifted, c("ids_per_partition", per)}, t)
		assign = e.sub("p_assignments", "Maximum", []string{a1, a2}, t)
		first := e.sub("Cast", "Cast", []string{e.sub("Less", "Less", []string{assign, c("extras_1", extras)}, t)},
			attrs{"SrcT": aType(Bool), "DstT": aType(idt), "Truncate": aBool(false)})
		inFirst := e.sub("mul", "Mul", []string{first, e.sub("FloorMod", "FloorMod", []string{flat, c("ids_per_partition_2", per+1)}, t)}, t)
		rest := e.sub("sub_1", "Sub", []string{c("one", 1), first}, t)
		inRest := e.sub("mul_1", "Mul", []string{rest, e.sub("FloorMod_1", "FloorMod", []string{shifted, c("ids_per_partition_3", per)}, t)}, t)
		row = e.sub("new_ids", "Add", []string{inFirst, inRest}, t)
	default:
		return "", "", errors.Errorf("unknown partition strategy %d", strategy)
	}
	if idt != Int32 {
		assign = e.sub("Cast_1", "Cast", []string{assign}, attrs{"SrcT": aType(idt), "DstT": aType(Int32), "Truncate": aBool(false)})
	}
	size := e.sub("Size", "Size", []string{flat}, attrs{"T": aType(idt), "out_type": aType(Int32)})
	original := e.sub("range", "Range", []string{e.s.scalar(e.name+"/range/start", Int32, 0), size,
		e.s.scalar(e.name+"/range/delta", Int32, 1)}, attrs{"Tidx": aType(Int32)})
	part := func(name, x string, dt DType) string {
		return e.sub(name, "DynamicPartition", []string{x, assign}, attrs{"T": aType(dt), "num_partitions": aInt(int64(n))})
	}
	return part("DynamicPartition", row, idt), part("DynamicPartition_1", original, Int32), nil
}

// shardedGather writes ShardedGather: Gather in each shard, DynamicStitch
// of the results at the ids' positions, reshaped to ids.shape +
// params.shape[1:].
func (e *opExport) shardedGather() error {
	rows, positions, err := e.shardParts(e.in[0], e.dtype(0))
	if err != nil {
		return err
	}
	n := len(e.in) - 1
	dt := e.dtype(1)
	var idx, parts []string
	for p := 0; p < n; p++ {
		out := ":" + strconv.Itoa(p)
		idx = append(idx, positions+out)
		parts = append(parts, e.sub("Gather", "GatherV2", []string{e.in[1+p], rows + out, e.s.scalar(e.name+"/Gather/axis", Int32, 0)},
			attrs{"Tparams": aType(dt), "Tindices": aType(e.dtype(0)), "Taxis": aType(Int32), "batch_dims": aInt(0)}))
	}
	stitched := e.sub("DynamicStitch", "DynamicStitch", append(idx, parts...), attrs{"T": aType(dt), "N": aInt(int64(n))})
	// ids.shape + params.shape[1:]
	idShape := e.sub("Shape", "Shape", e.in[:1], attrs{"T": aType(e.dtype(0)), "out_type": aType(Int32)})
	pShape := e.sub("Shape_1", "Shape", e.in[1:2], attrs{"T": aType(dt), "out_type": aType(Int32)})
	inner := e.sub("strided_slice", "StridedSlice", []string{pShape, e.s.ints(e.name+"/begin", 1), e.s.ints(e.name+"/end", 0),
		e.s.ints(e.name+"/strides", 1)}, stridedAttrs(Int32, 0, 1, 0))
	shape := e.sub("concat", "ConcatV2", []string{idShape, inner, e.s.scalar(e.name+"/concat/axis", Int32, 0)},
		attrs{"T": aType(Int32), "N": aInt(2), "Tidx": aType(Int32)})
	e.final("Reshape", []string{stitched, shape}, attrs{"T": aType(dt), "Tshape": aType(Int32)})
	return nil
}

// shardIndices writes ShardIndices: the rows in shard "shard" of the ids
// that live there.
func (e *opExport) shardIndices() error {
	rows, _, err := e.shardParts(e.in[0], e.dtype(0))
	if err != nil {
		return err
	}
	e.finalRows("Identity", []string{rows + ":" + strconv.Itoa(e.op.attrs.Int("shard", 0))}, attrs{"T": aType(e.dtype(0))}, Shape{None})
	return nil
}

// shardValues writes ShardValues: the rows of dy (input 0, ids.shape +
// params.shape[1:]) at the positions of the ids that live in shard
// "shard".
func (e *opExport) shardValues() error {
	dyShape := e.op.inputs[0].spec.Shape
	idShape := e.op.inputs[1].spec.Shape
	if dyShape == nil || idShape == nil {
		return errors.New("the gradient of a sharded lookup of ids or params of unknown rank")
	}
	inner := []int{-1}
	for _, d := range dyShape[len(idShape):] {
		if d < 0 {
			return errors.New("the gradient of a sharded lookup of params whose row shape is not known")
		}
		inner = append(inner, d)
	}
	_, positions, err := e.shardParts(e.in[1], e.dtype(1))
	if err != nil {
		return err
	}
	dt := e.dtype(0)
	flat := e.sub("Reshape", "Reshape", []string{e.in[0], e.s.ints(e.name+"/Reshape/shape", inner...)}, attrs{"T": aType(dt), "Tshape": aType(Int32)})
	e.finalRows("GatherV2", []string{flat, positions + ":" + strconv.Itoa(e.op.attrs.Int("shard", 0)), e.s.scalar(e.name+"/axis", Int32, 0)},
		attrs{"Tparams": aType(dt), "Tindices": aType(Int32), "Taxis": aType(Int32), "batch_dims": aInt(0)}, append(Shape{None}, inner[1:]...))
	return nil
}

// finalRows is final for an op whose output holds one row per id of one
// shard, whose number is known only at run time: _output_shapes says
// shape (None first).
func (e *opExport) finalRows(typ string, in []string, a attrs, shape Shape) {
	a["_output_shapes"] = pb.New().Msg(1, "list", pb.New().Msg(7, "shape", shapeProto(shape)))
	e.s.add(e.name, typ, in, a, e.ctrl)
	e.done = e.name
}
