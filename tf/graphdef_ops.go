package tf

import (
	"sort"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/kernels"
	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// The TF form of each operation: GraphDef export (graphdef.go).

// sameT lists ops written as themselves with their inputs and a "T" attr,
// the dtype of input tIndex[op] (0 unless listed there).
var sameT = map[string]bool{
	"Add": true, "AddV2": true, "Sub": true, "Mul": true, "RealDiv": true, "Maximum": true,
	"Minimum": true, "Pow": true, "Tanh": true, "Relu": true, "Sigmoid": true, "Exp": true,
	"Log": true, "Square": true, "Sqrt": true, "Neg": true, "Abs": true, "Identity": true,
	"Softmax": true, "LogSoftmax": true, "Elu": true, "Selu": true, "Softplus": true,
	"Equal": true, "NotEqual": true, "Less": true, "LessEqual": true, "Greater": true,
	"GreaterEqual": true, "Rsqrt": true, "Reciprocal": true, "Sign": true, "Floor": true,
	"Ceil": true, "Round": true, "SquaredDifference": true, "ZerosLike": true, "OnesLike": true,
	"StopGradient": true, "TanhGrad": true, "SigmoidGrad": true, "ReluGrad": true, "Select": true,
	"Log1p": true,
	// math_ops_unary.go, math_ops_binary.go
	"Sin": true, "Cos": true, "Tan": true, "Atan": true, "Sinh": true, "Cosh": true, "Expm1": true,
	"Erf": true, "Erfc": true, "Atan2": true, "FloorDiv": true, "FloorMod": true, "TruncateDiv": true,
	"TruncateMod": true, "IsNan": true, "IsInf": true, "IsFinite": true, "DivNoNan": true,
	// package nn's nn_ops.go
	"Softsign": true, "Relu6": true, "L2Loss": true,
}

// tIndex is the input whose dtype is an op's T when it is not input 0.
var tIndex = map[string]int{"Select": 1}

// reductions maps reduction op types to TF's.
var reductions = map[string]bool{"Sum": true, "Mean": true, "Max": true, "Min": true, "Prod": true, "All": true, "Any": true}

func (e *opExport) write() error {
	op, in := e.op, e.in
	typ := op.def.Type
	v, _ := op.attrs["variable"].(*Variable)
	switch {
	case typ == "Add" && e.isBias():
		e.final("BiasAdd", in, attrs{"T": aType(e.dtype(0)), "data_format": aStr("NHWC")})
		return nil
	case sameT[typ]:
		e.final(typ, in, attrs{"T": aType(e.dtype(tIndex[typ]))})
		return nil
	case noAttrOps[typ]:
		e.final(typ, in, nil)
		return nil
	case reductions[typ]:
		return e.reduce(typ, in[0], op.attrs.Ints("axis"), op.attrs.Bool("keepdims"))
	}
	switch typ {
	case "Placeholder":
		e.final(typ, nil, attrs{"dtype": aType(op.outputs[0].spec.DType), "shape": aShape(op.outputs[0].spec.Shape)})
	case "PlaceholderWithDefault":
		e.final(typ, in, attrs{"dtype": aType(op.outputs[0].spec.DType), "shape": aShape(op.outputs[0].spec.Shape)})
	case "VariableV2":
		e.final(typ, nil, attrs{"dtype": aType(v.dtype), "shape": aShape(v.shape), "container": aStr(""), "shared_name": aStr("")})
	case "Const":
		d, ok := op.attrs["value"].(*tensor.Dense)
		if !ok {
			return errors.New("constant without a value")
		}
		e.final(typ, nil, attrs{"value": pb.New().Msg(8, "tensor", tensorProto(d)), "dtype": aType(DTypeOf(d.Dtype()))})
	case "NoOp":
		e.final(typ, nil, nil)
	case "Assign":
		e.final(typ, append([]string{v.name}, in...), attrs{"T": aType(v.dtype), "use_locking": aBool(true), "validate_shape": aBool(true)})
	case "AssignAdd", "AssignMul":
		// gorgoflow's scalar updates: the variable plus (times) a constant.
		c := e.s.scalar(e.name+"/value", v.dtype, op.attrs.Float(map[string]string{"AssignAdd": "delta", "AssignMul": "factor"}[typ], 0))
		if len(in) == 1 { // train's Adam given beta1 or beta2 as a tensor
			c = in[0]
			if dt := e.dtype(0); dt != v.dtype {
				c = e.sub("Cast", "Cast", []string{c}, attrs{"SrcT": aType(dt), "DstT": aType(v.dtype), "Truncate": aBool(false)})
			}
		}
		if typ == "AssignAdd" {
			e.final("AssignAdd", []string{v.name, c}, attrs{"T": aType(v.dtype), "use_locking": aBool(false)})
			return nil
		}
		prod := e.sub("mul", "Mul", []string{v.name, c}, attrs{"T": aType(v.dtype)})
		e.final("Assign", []string{v.name, prod}, attrs{"T": aType(v.dtype), "use_locking": aBool(false), "validate_shape": aBool(true)})
	case "ApplyGradientDescent", "ApplyMomentum", "ApplyAdam", "ApplyRMSProp", "ApplyAdagrad":
		return e.apply(typ, v)
	case "SparseApplyRMSProp":
		if op.attrs.Bool("centered") {
			return e.applyTF("SparseApplyCenteredRMSProp", v)
		}
		return e.applyTF(typ, v)
	case "MatMul":
		e.final(typ, in, attrs{"T": aType(e.dtype(0)), "transpose_a": aBool(op.attrs.Bool("transpose_a")), "transpose_b": aBool(op.attrs.Bool("transpose_b"))})
	case "AddN":
		e.final(typ, in, attrs{"T": aType(e.dtype(0)), "N": aInt(int64(len(in)))})
	case "ConcatV2":
		axis := e.s.scalar(e.name+"/axis", Int32, float64(op.attrs.Int("axis", 0)))
		e.final(typ, append(append([]string{}, in...), axis), attrs{"T": aType(e.dtype(0)), "N": aInt(int64(len(in))), "Tidx": aType(Int32)})
	case "Split":
		if sizes := op.attrs.Ints("sizes"); sizes != nil {
			return e.splitV(sizes)
		}
		dim := e.s.scalar(e.name+"/split_dim", Int32, float64(op.attrs.Int("axis", 0)))
		e.final(typ, []string{dim, in[0]}, attrs{"T": aType(e.dtype(0)), "num_split": aInt(int64(len(op.outputs)))})
	case "Reshape":
		shape := e.s.ints(e.name+"/shape", op.attrs.Ints("shape")...)
		e.final(typ, []string{in[0], shape}, attrs{"T": aType(e.dtype(0)), "Tshape": aType(Int32)})
	case "ReshapeLike":
		shape := e.sub("Shape", "Shape", in[1:2], attrs{"T": aType(e.dtype(1)), "out_type": aType(Int32)})
		e.final("Reshape", []string{in[0], shape}, attrs{"T": aType(e.dtype(0)), "Tshape": aType(Int32)})
	case "Transpose":
		perm := e.s.ints(e.name+"/perm", op.attrs.Ints("perm")...)
		e.final(typ, []string{in[0], perm}, attrs{"T": aType(e.dtype(0)), "Tperm": aType(Int32)})
	case "ExpandDims":
		dim := e.s.scalar(e.name+"/dim", Int32, float64(op.attrs.Int("axis", 0)))
		e.final(typ, []string{in[0], dim}, attrs{"T": aType(e.dtype(0)), "Tdim": aType(Int32)})
	case "Cast":
		e.final(typ, in, attrs{"SrcT": aType(e.dtype(0)), "DstT": aType(op.outputs[0].spec.DType), "Truncate": aBool(false)})
	case "SparseSoftmaxCrossEntropyWithLogits":
		// TF's op also outputs the backprop; gorgoflow's gradient computes
		// its own (ScaleRows below), so output 0 is the one read.
		e.final(typ, in, attrs{"T": aType(e.dtype(0)), "Tlabels": aType(e.dtype(1))})
	case "ScaleRows":
		// dy[..., None] * m
		minus := e.s.scalar(e.name+"/dim", Int32, -1)
		col := e.sub("ExpandDims", "ExpandDims", []string{in[0], minus}, attrs{"T": aType(e.dtype(0)), "Tdim": aType(Int32)})
		e.final("Mul", []string{col, in[1]}, attrs{"T": aType(e.dtype(0))})
	case "SumToShapeOf":
		e.sumTo(in[0], in[1], e.dtype(0), e.dtype(1))
	case "BroadcastToShapeOf":
		ones := e.sub("OnesLike", "OnesLike", in[1:2], attrs{"T": aType(e.dtype(0))})
		e.final("Mul", []string{in[0], ones}, attrs{"T": aType(e.dtype(0))})
	case "ReduceGrad":
		return e.reduceGrad()
	case "ProdGrad":
		return e.prodGrad()
	case "TopKV2":
		e.topK()
	case "SoftmaxCrossEntropyWithLogits":
		// nn's op is TF's (features, labels) -> loss; TF's second output,
		// the backprop, is not read (nn's gradient computes its own).
		e.final(typ, in, attrs{"T": aType(e.dtype(0))})
	case "Squeeze":
		e.final(typ, in, attrs{"T": aType(e.dtype(0)), "squeeze_dims": attrValue(op.attrs.Ints("axis"))})
	case "TopKGrad":
		return e.topKGrad()
	case "Random":
		return e.random()
	case "RNNZeros":
		return e.rnnZeros()
	case "ConcatMatMulGrad":
		return e.concatMatMulGrad()
	case "GatherV2":
		axis := e.s.scalar(e.name+"/axis", Int32, float64(op.attrs.Int("axis", 0)))
		e.final(typ, []string{in[0], in[1], axis}, attrs{"Tparams": aType(e.dtype(0)), "Tindices": aType(e.dtype(1)), "Taxis": aType(Int32)})
	case "CandidateSampler":
		return e.sampler()
	case "ShardedGather":
		return e.shardedGather()
	case "ShardIndices":
		return e.shardIndices()
	case "ShardValues":
		return e.shardValues()
	case "ReverseV2":
		axis := e.s.ints(e.name+"/axis", op.attrs.Ints("axis")...)
		e.final(typ, []string{in[0], axis}, attrs{"T": aType(e.dtype(0)), "Tidx": aType(Int32)})
	case "ReverseSequence":
		e.final(typ, in, attrs{"T": aType(e.dtype(0)), "Tlen": aType(e.dtype(1)),
			"seq_dim": aInt(int64(op.attrs.Int("seq_dim", 0))), "batch_dim": aInt(int64(op.attrs.Int("batch_dim", 0)))})
	case "SigmoidCrossEntropyWithLogits":
		// max(x, 0) - x*z + log(1 + exp(-|x|)), as TF's
		// sigmoid_cross_entropy_with_logits computes it.
		z, x, dt := in[0], in[1], e.dtype(1)
		t := attrs{"T": aType(dt)}
		relu := e.sub("Relu", "Relu", []string{x}, t)
		xz := e.sub("mul", "Mul", []string{x, z}, t)
		neg := e.sub("Neg", "Neg", []string{e.sub("Abs", "Abs", []string{x}, t)}, t)
		l1p := e.sub("Log1p", "Log1p", []string{e.sub("Exp", "Exp", []string{neg}, t)}, t)
		e.final("Add", []string{e.sub("sub", "Sub", []string{relu, xz}, t), l1p}, t)
	case "IndexedSlicesToDense":
		return e.indexedSlicesToDense()
	case "CheckSampledLabels":
		// nn's run-time check of a sampled loss's labels' shape: TF's
		// graph has the labels themselves there.
		e.final("Identity", in[:1], attrs{"T": aType(e.dtype(0))})
	case "ConcatGrad":
		return e.concatGrad()
	case "OneHot", "Range", "LinSpace", "Tile", "TileGrad", "Pad", "PadV2", "MirrorPad", "PadGrad", "MirrorPadGrad", "BroadcastTo",
		"Cumsum", "Cumprod", "GatherNd", "ScatterNd", "ScatterNdLike", "BatchMatMulV2", "Pack", "Unpack",
		"Shape", "Size", "Rank", "Slice", "SliceGrad", "StridedSlice", "StridedSliceGrad", "BooleanMask", "BooleanMaskGrad":
		return e.arrayOp(typ)
	case "SparseApplyAdam":
		return e.sparseAdam(v)
	case "ExponentialDecay", "NaturalExpDecay", "InverseTimeDecay", "PolynomialDecay", "CosineDecay",
		"CosineDecayRestarts", "LinearCosineDecay", "PiecewiseConstant":
		if _, ok := op.attrs["decay_steps"]; ok || typ == "PiecewiseConstant" && op.attrs["boundaries"] != nil { // train's schedules
			return e.decaySchedule(typ)
		}
		e.untranslated(v)
	case "ApplyAdadelta", "SparseApplyAdadelta", "ApplyFtrl", "ApplyFtrlV2", "SparseApplyFtrl", "SparseApplyFtrlV2",
		"ApplyProximalGradientDescent", "SparseApplyProximalGradientDescent", "ApplyProximalAdagrad",
		"SparseApplyProximalAdagrad", "ApplyAdagradDA", "SparseApplyAdagradDA", "SparseApplyMomentum",
		"SparseApplyAdagrad", "ScatterSub":
		if _, ok := op.attrs["slots"]; ok { // train's update ops
			return e.applyTF(typ, v)
		}
		e.untranslated(v)
	case "DynamicRNNFused", "DynamicRNNStack", "DynamicRNNLoop":
		return e.s.forwardLoop(e)
	case "DynamicRNNFusedGrad", "DynamicRNNStackGrad", "DynamicRNNLoopGrad":
		return e.s.backwardLoop(e)
	default:
		e.untranslated(v)
	}
	return nil
}

// isBias reports whether an Add adds a vector to the last axis of a
// matrix or higher-rank tensor: TF's BiasAdd.
func (e *opExport) isBias() bool {
	x, b := e.op.inputs[0].spec.Shape, e.op.inputs[1].spec.Shape
	return x != nil && b != nil && len(x) >= 2 && len(b) == 1 && b[0] >= 0 && x[len(x)-1] == b[0]
}

// untranslated writes an op that has no TF form under its own type, with
// its attributes that have an AttrValue form.
func (e *opExport) untranslated(v *Variable) {
	in := e.in
	if v != nil {
		in = append([]string{v.name}, in...)
	}
	a := attrs{}
	if len(e.op.inputs) > 0 {
		a["T"] = aType(e.dtype(0))
	}
	for k, x := range e.op.attrs {
		if k == "variable" {
			continue
		}
		if av := attrValue(x); av != nil {
			a[k] = av
		}
	}
	e.final(e.op.def.Type, in, a)
}

// reduce writes a reduction with its axes as the reduction_indices input.
func (e *opExport) reduce(typ, x string, axes []int, keep bool) error {
	xs := e.op.inputs[0].spec.Shape
	if axes == nil {
		if xs == nil {
			return errors.New("reduction over all axes of a tensor of unknown rank")
		}
		for i := range xs {
			axes = append(axes, i)
		}
	}
	idx := e.s.ints(e.name+"/reduction_indices", axes...)
	a := attrs{"T": aType(e.dtype(0)), "Tidx": aType(Int32), "keep_dims": aBool(keep)}
	if typ == "All" || typ == "Any" {
		delete(a, "T") // TF's All and Any take bools only
	}
	e.final(typ, []string{x, idx}, a)
	return nil
}

// sumTo writes dy summed to the shape of like: TF's gradient of a
// broadcast (BroadcastGradientArgs, Sum, Reshape).
func (e *opExport) sumTo(dy, like string, dt, likeT DType) {
	s0 := e.sub("Shape", "Shape", []string{like}, attrs{"T": aType(likeT), "out_type": aType(Int32)})
	s1 := e.sub("Shape_1", "Shape", []string{dy}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	r := e.sub("BroadcastGradientArgs", "BroadcastGradientArgs", []string{s0, s1}, attrs{"T": aType(Int32)})
	sum := e.sub("Sum", "Sum", []string{dy, r}, attrs{"T": aType(dt), "Tidx": aType(Int32), "keep_dims": aBool(false)})
	e.final("Reshape", []string{sum, s0}, attrs{"T": aType(dt), "Tshape": aType(Int32)})
}

// reduceGrad writes the gradient of Sum and Mean: dy reshaped to the
// input's shape with the reduced axes kept as 1, broadcast to the input's
// shape (times ones), divided by the number of elements reduced for Mean.
func (e *opExport) reduceGrad() error {
	x, dy := e.in[0], e.in[2]
	xs := e.op.inputs[0].spec.Shape
	dt := e.dtype(0)
	kind, _ := e.op.attrs["kind"].(reduceKind)
	if kind == kernels.Max || kind == kernels.Min {
		return e.minMaxGrad()
	}
	if kind != kernels.Sum && kind != kernels.Mean {
		return errors.Errorf("unknown reduction %v", kind)
	}
	_, kept, _, err := e.keptShape(x, xs, dt)
	if err != nil {
		return err
	}
	r := e.sub("Reshape", "Reshape", []string{dy, kept}, attrs{"T": aType(dt), "Tshape": aType(Int32)})
	ones := e.sub("OnesLike", "OnesLike", []string{x}, attrs{"T": aType(dt)})
	if kind == kernels.Sum {
		e.final("Mul", []string{r, ones}, attrs{"T": aType(dt)})
		return nil
	}
	g := e.sub("mul_1", "Mul", []string{r, ones}, attrs{"T": aType(dt)})
	nx := e.sub("Size", "Size", []string{x}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	ny := e.sub("Size_1", "Size", []string{dy}, attrs{"T": aType(dt), "out_type": aType(Int32)})
	fx := e.sub("Cast", "Cast", []string{nx}, attrs{"SrcT": aType(Int32), "DstT": aType(dt), "Truncate": aBool(false)})
	fy := e.sub("Cast_1", "Cast", []string{ny}, attrs{"SrcT": aType(Int32), "DstT": aType(dt), "Truncate": aBool(false)})
	count := e.sub("truediv", "RealDiv", []string{fx, fy}, attrs{"T": aType(dt)})
	e.final("RealDiv", []string{g, count}, attrs{"T": aType(dt)})
	return nil
}

// random writes TF's random op and its scaling: RandomUniform *
// (maxval-minval) + minval, RandomStandardNormal or TruncatedNormal *
// stddev + mean, as tf.random_uniform and tf.random_normal build them.
func (e *opExport) random() error {
	a := e.op.attrs
	dt := a["dtype"].(DType)
	var shape string
	if len(e.in) == 1 {
		shape = e.sub("shape", "Shape", e.in, attrs{"T": aType(e.dtype(0)), "out_type": aType(Int32)})
	} else {
		s, _ := a["shape"].(Shape)
		shape = e.s.ints(e.name+"/shape", s...)
	}
	seed, _ := a["seed"].(int64)
	seed2, _ := a["seed2"].(int64)
	p1, p2 := a.Float("p1", 0), a.Float("p2", 1)
	var typ string
	var scale, shift float64
	switch a["dist"].(dist) {
	case distUniform:
		typ, scale, shift = "RandomUniform", p2-p1, p1
	case distNormal:
		typ, scale, shift = "RandomStandardNormal", p2, p1
	case distTruncated:
		typ, scale, shift = "TruncatedNormal", p2, p1
	default:
		return errors.New("unknown distribution")
	}
	r := e.sub(typ, typ, []string{shape}, attrs{"dtype": aType(dt), "seed": aInt(seed), "seed2": aInt(seed2), "T": aType(Int32)})
	m := e.sub("mul", "Mul", []string{r, e.s.scalar(e.name+"/scale", dt, scale)}, attrs{"T": aType(dt)})
	e.final("Add", []string{m, e.s.scalar(e.name+"/min", dt, shift)}, attrs{"T": aType(dt)})
	return nil
}

// rnnZeros writes the zero state of a cell: Fill([batch, units], 0), the
// batch size read from the shape of the given tensor, as TF's zero_state.
func (e *opExport) rnnZeros() error {
	a := e.op.attrs
	dt := a["dtype"].(DType)
	axis := a.Int("axis", 0)
	shape := e.sub("Shape", "Shape", e.in[:1], attrs{"T": aType(e.dtype(0)), "out_type": aType(Int32)})
	batch := e.sub("strided_slice", "StridedSlice", []string{shape, e.s.ints(e.name+"/stack", axis),
		e.s.ints(e.name+"/stack_1", axis+1), e.s.ints(e.name+"/stack_2", 1)}, stridedAttrs(Int32, 0, 0, 1))
	units := e.s.scalar(e.name+"/units", Int32, float64(a.Int("units", 0)))
	dims := e.sub("concat", "Pack", []string{batch, units}, attrs{"T": aType(Int32), "N": aInt(2), "axis": aInt(0)})
	e.final("Fill", []string{dims, e.s.scalar(e.name+"/Const", dt, 0)}, attrs{"T": aType(dt), "index_type": aType(Int32)})
	return nil
}

func stridedAttrs(dt DType, beginMask, endMask, shrink int64) attrs {
	return attrs{"T": aType(dt), "Index": aType(Int32), "begin_mask": aInt(beginMask), "end_mask": aInt(endMask),
		"ellipsis_mask": aInt(0), "new_axis_mask": aInt(0), "shrink_axis_mask": aInt(shrink)}
}

// concatMatMulGrad writes the gradient of a MatMul of a concatenation
// (parts..., w, dy -> dparts..., dw): dx_j = dy·wᵀ sliced to the rows of
// w part j multiplies (attr "rows", by default the parts' blocks in turn),
// dw = x_jᵀ·dy in those rows, zeros in the rows no part multiplies or
// whose part the loop computes after its reverse pass (attr "defer_dw").
func (e *opExport) concatMatMulGrad() error {
	n := len(e.in) - 2
	parts, w, dy := e.in[:n], e.in[n], e.in[n+1]
	dt := e.dtype(0)
	ws := e.op.inputs[n].spec.Shape
	if len(ws) != 2 || ws[0] < 0 || ws[1] < 0 {
		return errors.New("the weights' shape is not known")
	}
	rows := e.op.attrs.Ints("rows")
	if rows == nil {
		off := 0
		for i := 0; i < n; i++ {
			rows = append(rows, off)
			off += e.op.inputs[i].spec.Shape[1]
		}
	}
	deferred, _ := e.op.attrs["defer_dw"].([]bool)
	dx := e.sub("MatMul", "MatMul", []string{dy, w}, attrs{"T": aType(dt), "transpose_a": aBool(false), "transpose_b": aBool(true)})
	e.outs = make([]string, n+1)
	var blocks []rowBlock
	for i := 0; i < n; i++ {
		width := e.op.inputs[i].spec.Shape[1]
		e.outs[i] = e.sub("strided_slice", "StridedSlice", []string{dx, e.s.ints(e.name+"/begin", 0, rows[i]),
			e.s.ints(e.name+"/end", 0, rows[i]+width), e.s.ints(e.name+"/strides", 1, 1)}, stridedAttrs(dt, 1, 1, 0))
		if deferred != nil && deferred[i] {
			continue
		}
		g := e.sub("MatMul_1", "MatMul", []string{parts[i], dy}, attrs{"T": aType(dt), "transpose_a": aBool(true), "transpose_b": aBool(false)})
		blocks = append(blocks, rowBlock{g, rows[i], width})
	}
	dw := e.s.placeRows(e.name+"/dw", blocks, ws[0], ws[1], dt)
	e.outs[n] = e.s.add(e.name, "Identity", []string{dw}, attrs{"T": aType(dt)}, e.ctrl)
	e.done = e.name
	return nil
}

// samplerExporter is implemented by the distribution of package nn's
// candidate sampler op: TF's op sampling from it and its range.
type samplerExporter interface {
	ExportSampler() (op string, rangeMax int, ok bool)
}

// sampler writes a candidate sampler as TF's op of its distribution,
// true_classes cast to int64 as TF's op takes them.
func (e *opExport) sampler() error {
	d, ok := e.op.attrs["dist"].(samplerExporter)
	if !ok {
		return errors.New("sampler without its distribution")
	}
	typ, rangeMax, ok := d.ExportSampler()
	if !ok {
		return errors.New("a candidate sampler without a TF form")
	}
	tc := e.in[0]
	if e.dtype(0) != Int64 {
		tc = e.sub("Cast", "Cast", []string{tc}, attrs{"SrcT": aType(e.dtype(0)), "DstT": aType(Int64), "Truncate": aBool(false)})
	}
	ts := e.op.inputs[0].spec.Shape
	if len(ts) != 2 || ts[1] < 0 {
		return errors.New("true_classes' number of classes per example is not known")
	}
	a := e.op.attrs
	seed, _ := a["seed"].(int64)
	seed2, _ := a["seed2"].(int64)
	at := attrs{"num_true": aInt(int64(ts[1])), "num_sampled": aInt(int64(a.Int("num_sampled", 0))),
		"unique": aBool(a.Bool("unique")), "range_max": aInt(int64(rangeMax)), "seed": aInt(seed), "seed2": aInt(seed2)}
	if u, ok := d.(unigramExporter); ok {
		if unigrams, distortion, reserved, ok := u.ExportUnigrams(); ok {
			// TF's FixedUnigramCandidateSampler with unigrams given
			// (no vocab_file), one shard.
			at["unigrams"] = pb.New().Msg(1, "list", pb.New().PackedFloats(4, "f", unigrams))
			at["distortion"] = aFloat(float32(distortion))
			at["num_reserved_ids"] = aInt(int64(reserved))
			at["vocab_file"] = aStr("")
			at["num_shards"] = aInt(1)
			at["shard"] = aInt(0)
		}
	}
	e.final(typ, []string{tc}, at)
	return nil
}

// unigramExporter is implemented by the fixed unigram distribution of
// package nn's candidate sampler: the attrs of TF's
// FixedUnigramCandidateSampler.
type unigramExporter interface {
	ExportUnigrams() (unigrams []float64, distortion float64, numReservedIDs int, ok bool)
}

// indexedSlicesToDense writes the dense value of an IndexedSlices: the
// values summed into their rows, UnsortedSegmentSum (TF's
// convert_to_tensor of IndexedSlices sums duplicates as it does).
func (e *opExport) indexedSlicesToDense() error {
	var n string
	if len(e.in) == 3 {
		shape := e.sub("Shape", "Shape", e.in[2:3], attrs{"T": aType(e.dtype(2)), "out_type": aType(Int32)})
		n = e.sub("strided_slice", "StridedSlice", []string{shape, e.s.ints(e.name+"/begin", 0), e.s.ints(e.name+"/end", 1),
			e.s.ints(e.name+"/strides", 1)}, stridedAttrs(Int32, 0, 0, 1))
	} else {
		s, _ := e.op.attrs["shape"].(Shape)
		if len(s) == 0 || s[0] < 0 {
			return errors.New("dense shape's first dimension is not known")
		}
		n = e.s.scalar(e.name+"/num_segments", Int32, float64(s[0]))
	}
	e.final("UnsortedSegmentSum", []string{e.in[0], e.in[1], n}, attrs{"T": aType(e.dtype(0)), "Tindices": aType(e.dtype(1)), "Tnumsegments": aType(Int32)})
	return nil
}

// concatGrad writes the gradient of a concatenation: dy's slices along
// the axis, of the inputs' sizes there (which must be known).
func (e *opExport) concatGrad() error {
	ds := e.op.inputs[0].spec.Shape
	if ds == nil {
		return errors.New("gradient of unknown rank")
	}
	axis, err := normAxis(e.op.attrs.Int("axis", 0), len(ds), "axis")
	if err != nil {
		return err
	}
	dt := e.dtype(0)
	mask := int64((1<<len(ds))-1) &^ (1 << axis)
	e.outs = make([]string, len(e.in)-1)
	off := 0
	for i, t := range e.op.inputs[1:] {
		if t.spec.Shape == nil || t.spec.Shape[axis] < 0 {
			return errors.New("a concatenated input's size along the axis is not known")
		}
		size := t.spec.Shape[axis]
		begin, end, strides := make([]int, len(ds)), make([]int, len(ds)), make([]int, len(ds))
		for d := range strides {
			strides[d] = 1
		}
		begin[axis], end[axis] = off, off+size
		e.outs[i] = e.sub("strided_slice", "StridedSlice", []string{e.in[0], e.s.ints(e.name+"/begin", begin...),
			e.s.ints(e.name+"/end", end...), e.s.ints(e.name+"/strides", strides...)}, stridedAttrs(dt, mask, mask, 0))
		off += size
	}
	e.done = e.s.add(e.name, "NoOp", nil, nil, append(append([]string(nil), e.ctrl...), nodesOf(e.outs)...))
	return nil
}

func nodesOf(outs []string) []string {
	n := make([]string, len(outs))
	for i, o := range outs {
		n[i] = nodeOf(o)
	}
	return n
}

// sparseAdam writes Adam's update by a sparse gradient as TF 1.x's
// AdamOptimizer._apply_sparse does: m = m*beta1, then m[indices] +=
// (1-beta1)*values (ScatterAdd, after the decay); v likewise with
// values²; var -= lr_t*m/(sqrt(v)+epsilon) with lr_t = lr*sqrt(1-beta2^t)/
// (1-beta1^t) from the beta power variables.
func (e *opExport) sparseAdam(v *Variable) error {
	a := e.op.attrs
	slots, _ := a["slots"].([]*Variable)
	nonslot, _ := a["nonslot"].([]*Variable)
	if len(slots) != 2 || len(nonslot) != 2 {
		return errors.New("Adam without its two slots and beta powers")
	}
	dt := v.dtype
	t := attrs{"T": aType(dt)}
	c := func(name string, x float64) string { return e.s.scalar(e.name+"/"+name, dt, x) }
	bin := func(name, op, x, y string) string { return e.sub(name, op, []string{x, y}, t) }
	values, indices := e.in[0], e.in[1]
	one := c("one", 1)
	b1, b2 := c("beta1", a.Float("beta1", 0)), c("beta2", a.Float("beta2", 0))
	lrt := bin("truediv", "RealDiv", bin("mul", "Mul", e.hyper("learning_rate", "lr", 2, dt),
		e.sub("Sqrt", "Sqrt", []string{bin("sub", "Sub", one, nonslot[1].name)}, t)), bin("sub", "Sub", one, nonslot[0].name))
	scatter := func(slot *Variable, beta, update string) string {
		decay := e.sub("Assign", "Assign", []string{slot.name, bin("mul", "Mul", slot.name, beta)},
			attrs{"T": aType(dt), "use_locking": aBool(false), "validate_shape": aBool(true)})
		return e.s.node(e.name+"/ScatterAdd", "ScatterAdd", []string{slot.name, indices, bin("mul", "Mul", update, bin("sub", "Sub", one, beta))},
			attrs{"T": aType(dt), "Tindices": aType(e.dtype(1)), "use_locking": aBool(false)}, decay)
	}
	m := scatter(slots[0], b1, values)
	vv := scatter(slots[1], b2, bin("mul", "Mul", values, values))
	den := bin("add", "Add", e.sub("Sqrt", "Sqrt", []string{vv}, t), e.hyper("epsilon", "epsilon", 2, dt))
	upd := bin("mul", "Mul", lrt, bin("truediv", "RealDiv", m, den))
	e.final("AssignSub", []string{v.name, upd}, attrs{"T": aType(dt), "use_locking": aBool(false)})
	return nil
}

// rowBlock is a block of rows of a matrix: rows [row, row+rows).
type rowBlock struct {
	value     string
	row, rows int
}

// placeRows returns the [R, U] matrix holding the blocks (which do not
// overlap) at their rows and zeros elsewhere: a ConcatV2 along axis 0 of
// the blocks and Fill zeros.
func (s *scope) placeRows(name string, blocks []rowBlock, R, U int, dt DType) string {
	sort.Slice(blocks, func(i, j int) bool { return blocks[i].row < blocks[j].row })
	var parts []string
	zeros := func(n int) {
		if n > 0 {
			parts = append(parts, s.node(name+"/zeros", "Fill", []string{s.ints(name+"/zeros/dims", n, U), s.scalar(name+"/zeros/value", dt, 0)},
				attrs{"T": aType(dt), "index_type": aType(Int32)}))
		}
	}
	at := 0
	for _, b := range blocks {
		zeros(b.row - at)
		parts = append(parts, b.value)
		at = b.row + b.rows
	}
	zeros(R - at)
	if len(parts) == 1 {
		return parts[0]
	}
	return s.node(name+"/concat", "ConcatV2", append(parts, s.scalar(name+"/concat/axis", Int32, 0)),
		attrs{"T": aType(dt), "N": aInt(int64(len(parts))), "Tidx": aType(Int32)})
}

// apply writes an optimizer's update with TF's Apply op: the variable and
// its slots by reference, the hyperparameters as constants (Adam's beta
// powers are its non-slot variables).
func (e *opExport) apply(typ string, v *Variable) error {
	a := e.op.attrs
	dt := v.dtype
	slots, _ := a["slots"].([]*Variable)
	nonslot, _ := a["nonslot"].([]*Variable)
	h := func(name, key string) string { return e.hyper(name, key, 1, dt) }
	grad := e.in[0]
	var in []string
	at := attrs{"T": aType(dt), "use_locking": aBool(false)}
	names := func(vs []*Variable) []string {
		out := make([]string, len(vs))
		for i, x := range vs {
			out[i] = x.name
		}
		return out
	}
	need := func(n, m int) error {
		if len(slots) != n || len(nonslot) != m {
			return errors.Errorf("%s with %d slots and %d non-slot variables", typ, len(slots), len(nonslot))
		}
		return nil
	}
	switch typ {
	case "ApplyGradientDescent":
		in = []string{v.name, h("learning_rate", "lr"), grad}
	case "ApplyMomentum":
		if err := need(1, 0); err != nil {
			return err
		}
		in = []string{v.name, slots[0].name, h("learning_rate", "lr"), grad, h("momentum", "momentum")}
		at["use_nesterov"] = aBool(a.Bool("use_nesterov"))
	case "ApplyAdam":
		if err := need(2, 2); err != nil {
			return err
		}
		in = append(append([]string{v.name}, names(slots)...), names(nonslot)...)
		in = append(in, h("learning_rate", "lr"), h("beta1", "beta1"),
			h("beta2", "beta2"), h("epsilon", "epsilon"), grad)
		at["use_nesterov"] = aBool(false)
	case "ApplyRMSProp":
		if a.Bool("centered") {
			return e.applyTF("ApplyCenteredRMSProp", v)
		}
		if err := need(2, 0); err != nil {
			return err
		}
		in = append(append([]string{v.name}, names(slots)...), h("learning_rate", "lr"),
			h("decay", "decay"), h("momentum", "momentum"), h("epsilon", "epsilon"), grad)
	case "ApplyAdagrad":
		if err := need(1, 0); err != nil {
			return err
		}
		in = []string{v.name, slots[0].name, h("learning_rate", "lr"), grad}
		at["update_slots"] = aBool(true)
	}
	e.final(typ, in, at)
	return nil
}
