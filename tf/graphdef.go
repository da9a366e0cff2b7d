package tf

import (
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// GraphDefVersion is the producer version gorgoflow writes in GraphDefs
// (TF 1.15's TF_GRAPH_DEF_VERSION).
const GraphDefVersion = 134

// GraphDef is a graph in TF's GraphDef protocol-buffer form
// (tf.Graph.as_graph_def()): one NodeDef per operation, with TF's op names
// and attributes, and "_output_shapes" (as as_graph_def(add_shapes=True)).
type GraphDef struct {
	m *pb.Message
}

// Marshal returns the GraphDef in the binary wire format (what
// tf.train.write_graph writes with as_text=False).
func (d *GraphDef) Marshal() []byte { return d.m.Marshal() }

// String returns the GraphDef in the protobuf text format (graph.pbtxt).
func (d *GraphDef) String() string { return d.m.Text() }

// AsGraphDef returns g as a GraphDef (graph.as_graph_def()). Operations
// whose type is one of TF's (Placeholder, Const, VariableV2, Assign,
// MatMul, Add, Tanh, ...) carry TF's inputs and attributes, so TF imports
// them; gorgoflow's own operations (RNN loops, gradient helpers) keep their
// own type names, which TensorBoard draws and TF's importer rejects. A
// generic RNN loop's step is written as a function of the GraphDef's
// library (its ops as NodeDefs, TF's FunctionDef form), named by the
// loop's "body" attribute. It fails when g failed to build.
func (g *Graph) AsGraphDef() (*GraphDef, error) {
	if err := g.Err(); err != nil {
		return nil, errors.Wrap(err, "Graph.AsGraphDef: the graph failed to build")
	}
	m := pb.New()
	lib := &library{names: map[*Func]string{}, used: map[string]bool{}}
	for _, op := range g.Operations() {
		m.Msg(1, "node", lib.nodeDef(op, graphInput))
	}
	if len(lib.funcs) > 0 {
		l := pb.New()
		for _, f := range lib.funcs {
			l.Msg(1, "function", f)
		}
		m.Msg(2, "library", l)
	}
	m.Msg(4, "versions", pb.New().Int(1, "producer", GraphDefVersion))
	return &GraphDef{m: m}, nil
}

// bodied is implemented by op attributes holding a loop's step function
// (DynamicRNN's generic loop).
type bodied interface{ Body() *Func }

// library collects the FunctionDefs of loop bodies.
type library struct {
	names map[*Func]string
	used  map[string]bool
	funcs []*pb.Message
}

// function returns the name of f's FunctionDef, writing it the first time:
// a signature (arguments x_0.., then captured_0.. for the outer tensors
// the body reads; outputs output_0..), the body's ops as NodeDefs whose
// inputs name arguments or "node:output:index", and ret mapping outputs.
func (lib *library) function(op *Operation, f *Func) string {
	if name, ok := lib.names[f]; ok {
		return name
	}
	base := strings.NewReplacer("/", "_", "-", "_").Replace(op.name) + "_body"
	name := base
	for i := 1; lib.used[name]; i++ {
		name = base + "_" + strconv.Itoa(i)
	}
	lib.used[name] = true
	lib.names[f] = name
	args := map[*Tensor]string{}
	sig := pb.New().String(1, "name", name)
	addArg := func(num int, field, argName string, t *Tensor) {
		v, n := DataTypeProto(t.spec.DType)
		sig.Msg(num, field, pb.New().String(1, "name", argName).Enum(3, "type", v, n))
	}
	for i, t := range f.Args {
		args[t] = "x_" + strconv.Itoa(i)
		addArg(2, "input_arg", args[t], t)
	}
	for i, t := range f.params {
		args[t] = "captured_" + strconv.Itoa(i)
		addArg(2, "input_arg", args[t], t)
	}
	for i, t := range f.Outputs {
		addArg(3, "output_arg", "output_"+strconv.Itoa(i), t)
	}
	ref := func(t *Tensor) string {
		if a, ok := args[t]; ok {
			return a
		}
		return t.op.name + ":" + outputArg(exportForm(t.op).def.Type) + ":" + strconv.Itoa(t.index)
	}
	fd := pb.New().Msg(1, "signature", sig)
	// The ops the outputs need, as TF knows them: not the ops of the
	// step's gradient, which a loop's gradient builds in the same body.
	need := map[*Operation]bool{}
	var visit func(op *Operation)
	visit = func(op *Operation) {
		if need[op] {
			return
		}
		need[op] = true
		for _, in := range exportForm(op).inputs {
			if _, isArg := args[in]; !isArg {
				visit(in.op)
			}
		}
		for _, c := range op.control {
			visit(c)
		}
	}
	for _, t := range f.Outputs {
		if _, isArg := args[t]; !isArg {
			visit(t.op)
		}
	}
	for _, bop := range f.Graph.Operations() {
		if !need[bop] {
			continue
		}
		fd.Msg(3, "node_def", lib.nodeDef(exportForm(bop), ref))
	}
	for i, t := range f.Outputs {
		fd.Msg(4, "ret", pb.New().String(1, "key", "output_"+strconv.Itoa(i)).String(2, "value", ref(t)))
	}
	lib.funcs = append(lib.funcs, fd)
	return name
}

// outputArg returns the name of an op's first output argument in TF's
// op registry, as FunctionDef inputs name them ("MatMul:product:0").
func outputArg(typ string) string {
	switch typ {
	case "MatMul":
		return "product"
	case "Add", "AddV2", "Sub", "Mul", "RealDiv", "Maximum", "Minimum", "Pow":
		return "z"
	case "Tanh", "Sigmoid", "Exp", "Log", "Square", "Sqrt", "Neg", "Abs":
		return "y"
	case "Relu", "Elu", "Selu", "LeakyRelu", "Softplus":
		return "activations"
	case "Softmax":
		return "softmax"
	case "Cast":
		return "y"
	}
	return "output"
}

func graphInput(t *Tensor) string { return inputName(t) }

// DataTypeProto returns d's DataType enum value and name in TF's
// types.proto (1, "DT_FLOAT" for Float32).
func DataTypeProto(d DType) (int32, string) {
	switch d {
	case Float32:
		return 1, "DT_FLOAT"
	case Float64:
		return 2, "DT_DOUBLE"
	case Int32:
		return 3, "DT_INT32"
	case Int64:
		return 9, "DT_INT64"
	case Bool:
		return 10, "DT_BOOL"
	case String:
		return 7, "DT_STRING"
	}
	return 0, "DT_INVALID"
}

func typeAttr(d DType) *pb.Message {
	v, n := DataTypeProto(d)
	return pb.New().Enum(6, "type", v, n)
}

// ShapeProto returns s as TF's TensorShapeProto: -1 for None, unknown_rank
// for a nil shape.
func shapeProto(s Shape) *pb.Message {
	m := pb.New()
	if s == nil {
		return m.Bool(3, "unknown_rank", true)
	}
	for _, d := range s {
		m.Msg(2, "dim", pb.New().Int(1, "size", int64(d)))
	}
	return m
}

// tensorProto returns d as TF's TensorProto: scalars in the typed value
// field, larger tensors as tensor_content (little-endian bytes), as TF's
// make_tensor_proto writes them.
func tensorProto(d *tensor.Dense) *pb.Message {
	dt := DTypeOf(d.Dtype())
	v, n := DataTypeProto(dt)
	m := pb.New().Enum(1, "dtype", v, n).Msg(2, "tensor_shape", shapeProto(Shape(append([]int{}, d.Shape()...))))
	if d.Shape().TotalSize() == 1 || len(d.Shape()) == 0 {
		x := Float64s(d)[0]
		switch dt {
		case Float32:
			return m.PackedFloats(5, "float_val", []float64{x})
		case Float64:
			return m.PackedDoubles(6, "double_val", []float64{x})
		case Int32:
			return m.PackedInts(7, "int_val", []int64{int64(x)})
		case Int64:
			return m.PackedInts(10, "int64_val", []int64{int64(x)})
		case Bool:
			return m.PackedInts(11, "bool_val", []int64{int64(x)})
		}
		return m
	}
	var b []byte
	switch dt {
	case Float32:
		for _, x := range d.Float32s() {
			u := math.Float32bits(x)
			b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
	case Float64:
		for _, x := range d.Float64s() {
			u := math.Float64bits(x)
			for i := 0; i < 8; i++ {
				b = append(b, byte(u>>(8*i)))
			}
		}
	case Int32:
		for _, x := range d.Int32s() {
			u := uint32(x)
			b = append(b, byte(u), byte(u>>8), byte(u>>16), byte(u>>24))
		}
	case Int64:
		for _, x := range d.Int64s() {
			for i := 0; i < 8; i++ {
				b = append(b, byte(uint64(x)>>(8*i)))
			}
		}
	case Bool:
		for _, x := range d.Bools() {
			if x {
				b = append(b, 1)
			} else {
				b = append(b, 0)
			}
		}
	}
	return m.String(4, "tensor_content", string(b))
}

// tfTyped lists TF ops whose dtype attribute is "T", the type of their
// first input.
var tfTyped = map[string]bool{
	"Add": true, "AddV2": true, "Sub": true, "Mul": true, "RealDiv": true, "Maximum": true,
	"Minimum": true, "Pow": true, "MatMul": true, "BiasAdd": true, "Tanh": true, "Relu": true,
	"Sigmoid": true, "Exp": true, "Log": true, "Square": true, "Sqrt": true, "Neg": true,
	"Abs": true, "Identity": true, "Softmax": true, "LogSoftmax": true, "Elu": true, "Selu": true,
	"Softplus": true, "LeakyRelu": true, "Reshape": true, "Transpose": true, "ExpandDims": true,
	"Squeeze": true, "ConcatV2": true, "Pack": true, "Unpack": true, "Slice": true,
	"Select": true, "AddN": true, "Assign": true, "AssignAdd": true, "AssignSub": true,
	"Sum": true, "Mean": true, "Max": true, "Min": true, "Prod": true, "Equal": true,
	"NotEqual": true, "Less": true, "LessEqual": true, "Greater": true, "GreaterEqual": true,
	"Square_": true, "Rsqrt": true, "Reciprocal": true, "Sign": true, "Floor": true, "Ceil": true,
	"Round": true, "SquaredDifference": true, "Fill": true, "ZerosLike": true, "OnesLike": true,
	"SoftmaxCrossEntropyWithLogits": true, "SparseSoftmaxCrossEntropyWithLogits": true,
	"GatherV2": true, "Tile": true, "StopGradient": true, "ClipByValue": true, "Cumsum": true,
}

// nodeDef returns op as a NodeDef; input names its input tensors.
func (lib *library) nodeDef(op *Operation, input func(*Tensor) string) *pb.Message {
	m := pb.New().String(1, "name", op.name).String(2, "op", op.def.Type)
	attrs := map[string]*pb.Message{}
	v, _ := op.attrs["variable"].(*Variable)
	switch op.def.Type {
	case "VariableV2":
		attrs["dtype"] = typeAttr(v.dtype)
		attrs["shape"] = pb.New().Msg(7, "shape", shapeProto(v.shape))
		attrs["container"] = pb.New().StringAlways(2, "s", "")
		attrs["shared_name"] = pb.New().StringAlways(2, "s", "")
		v = nil // not an input of itself
	case "Const":
		if d, ok := op.attrs["value"].(*tensor.Dense); ok {
			attrs["value"] = pb.New().Msg(8, "tensor", tensorProto(d))
			attrs["dtype"] = typeAttr(DTypeOf(d.Dtype()))
		}
	case "Placeholder":
		attrs["dtype"] = typeAttr(op.outputs[0].spec.DType)
		attrs["shape"] = pb.New().Msg(7, "shape", shapeProto(op.outputs[0].spec.Shape))
	case "Assign":
		attrs["use_locking"] = pb.New().Bool(5, "b", true)
		attrs["validate_shape"] = pb.New().Bool(5, "b", true)
	case "Cast":
		if len(op.inputs) > 0 {
			attrs["SrcT"] = typeAttr(op.inputs[0].spec.DType)
			attrs["DstT"] = typeAttr(op.outputs[0].spec.DType)
			attrs["Truncate"] = pb.New().Bool(5, "b", false)
		}
	case "BiasAdd":
		attrs["data_format"] = pb.New().String(2, "s", "NHWC")
	}
	if v != nil {
		m.StringAlways(3, "input", v.name)
	}
	for _, in := range op.inputs {
		m.StringAlways(3, "input", input(in))
	}
	for _, c := range op.control {
		m.StringAlways(3, "input", "^"+c.name)
	}
	if tfTyped[op.def.Type] {
		switch {
		case v != nil:
			attrs["T"] = typeAttr(v.dtype)
		case len(op.inputs) > 0:
			attrs["T"] = typeAttr(op.inputs[0].spec.DType)
		}
	}
	for k, a := range op.attrs {
		if _, done := attrs[k]; done || k == "variable" {
			continue
		}
		if b, ok := a.(bodied); ok && b.Body() != nil {
			attrs["body"] = pb.New().Msg(10, "func", pb.New().String(1, "name", lib.function(op, b.Body())))
			continue
		}
		if av := attrValue(a); av != nil {
			attrs[k] = av
		}
	}
	if len(op.outputs) > 0 {
		list := pb.New()
		for _, t := range op.outputs {
			list.Msg(7, "shape", shapeProto(t.spec.Shape))
		}
		attrs["_output_shapes"] = pb.New().Msg(1, "list", list)
	}
	keys := make([]string, 0, len(attrs))
	for k := range attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.MapEntry(5, "attr", k, attrs[k])
	}
	return m
}

func inputName(t *Tensor) string {
	if t.index == 0 {
		return t.op.name
	}
	return t.Name()
}

// attrValue converts a gorgoflow attribute to TF's AttrValue, or nil for
// values that have no TF form (Go functions, loop descriptions).
func attrValue(a any) *pb.Message {
	switch x := a.(type) {
	case bool:
		return pb.New().Bool(5, "b", x)
	case int:
		return pb.New().IntAlways(3, "i", int64(x))
	case int64:
		return pb.New().IntAlways(3, "i", x)
	case float64:
		return pb.New().Float(4, "f", float32(x))
	case float32:
		return pb.New().Float(4, "f", x)
	case string:
		return pb.New().StringAlways(2, "s", x)
	case DType:
		return typeAttr(x)
	case Shape:
		return pb.New().Msg(7, "shape", shapeProto(x))
	case []int:
		is := make([]int64, len(x))
		for i, v := range x {
			is[i] = int64(v)
		}
		return pb.New().Msg(1, "list", pb.New().PackedInts(3, "i", is))
	case *tensor.Dense:
		return pb.New().Msg(8, "tensor", tensorProto(x))
	}
	return nil
}
