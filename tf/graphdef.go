package tf

import (
	"math"
	"sort"
	"strconv"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// GraphDefVersion is the producer version gorgoflow writes in GraphDefs
// (TF 1.15's TF_GRAPH_DEF_VERSION).
const GraphDefVersion = 134

// GraphDef is a graph in TF's GraphDef protocol-buffer form
// (tf.Graph.as_graph_def()): one NodeDef per TF operation, with TF's op
// names, inputs and attributes, and "_output_shapes" on the nodes that are
// the graph's own operations (as as_graph_def(add_shapes=True)).
type GraphDef struct {
	m     *pb.Message
	names map[*Tensor]string
}

// TensorName returns the name of the node output holding t in the
// GraphDef ("rnn/transpose_1:0"), which is t.Name() for the ops written
// as themselves and the name of the TF op computing the same for the
// others (an RNN loop's outputs and states); false when t is not one of
// the graph's tensors. It is the name to fetch after TF's import_meta_graph.
func (d *GraphDef) TensorName(t *Tensor) (string, bool) {
	n, ok := d.names[t]
	if !ok {
		return "", false
	}
	if nodeOf(n) == n {
		n += ":0"
	}
	return n, true
}

// Marshal returns the GraphDef in the binary wire format (what
// tf.train.write_graph writes with as_text=False).
func (d *GraphDef) Marshal() []byte { return d.m.Marshal() }

// String returns the GraphDef in the protobuf text format (graph.pbtxt).
func (d *GraphDef) String() string { return d.m.Text() }

// AsGraphDef returns g as a GraphDef (graph.as_graph_def()) that TF 1.x
// imports: every node is one of TF's registered ops, with the inputs and
// attributes of TF's OpDef (reduction axes and random shapes as inputs,
// BiasAdd for a bias added to a matrix, the optimizers' Apply ops with
// their hyperparameters as inputs). Operations gorgoflow runs its own way
// are written as the TF ops that compute the same: an RNN loop
// (nn.DynamicRNN, fused or not) as TF 1.x's while loop of frame ops
// (Enter, Merge, Switch, LoopCond, NextIteration, Exit) over TensorArrays,
// as tf.nn.dynamic_rnn writes it, and its gradient as a second while loop
// that runs the steps backwards (recomputing each step from its saved
// input state); gradient helpers as Sum, Reshape, BroadcastGradientArgs and
// Tile-free broadcasts. An operation with no TF form keeps its gorgoflow
// type name (TensorBoard draws it; TF's importer rejects it). It fails when
// g failed to build.
func (g *Graph) AsGraphDef() (*GraphDef, error) {
	if err := g.Err(); err != nil {
		return nil, errors.Wrap(err, "Graph.AsGraphDef: the graph failed to build")
	}
	ex := newExporter()
	ops := g.Operations()
	for _, op := range ops {
		ex.used[op.name] = true
	}
	s := &scope{ex: ex, out: map[*Tensor]string{}, ctrl: map[*Operation]string{}, main: true}
	for _, op := range ops {
		if err := s.export(op); err != nil {
			return nil, errors.Wrapf(err, "Graph.AsGraphDef: op %q (%s)", op.name, op.def.Type)
		}
	}
	m := pb.New()
	for _, n := range ex.nodes {
		m.Msg(1, "node", n.message())
	}
	m.Msg(4, "versions", pb.New().Int(1, "producer", GraphDefVersion))
	return &GraphDef{m: m, names: s.out}, nil
}

// nodeDef is one NodeDef being written.
type nodeDef struct {
	name, op string
	inputs   []string // data inputs, then "^name" control inputs
	attrs    map[string]*pb.Message
}

func (n *nodeDef) message() *pb.Message {
	m := pb.New().String(1, "name", n.name).String(2, "op", n.op)
	for _, in := range n.inputs {
		m.StringAlways(3, "input", in)
	}
	keys := make([]string, 0, len(n.attrs))
	for k := range n.attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.MapEntry(5, "attr", k, n.attrs[k])
	}
	return m
}

// exporter collects the nodes of a GraphDef.
type exporter struct {
	nodes []*nodeDef
	used  map[string]bool
	loops map[*Operation]*loopRecord // forward RNN loops written, by op
}

func newExporter() *exporter {
	return &exporter{used: map[string]bool{}, loops: map[*Operation]*loopRecord{}}
}

// unique returns name, or name_1, name_2... if taken, and reserves it.
func (ex *exporter) unique(name string) string {
	n := name
	for i := 1; ex.used[n]; i++ {
		n = name + "_" + strconv.Itoa(i)
	}
	ex.used[n] = true
	return n
}

// scope maps the tensors of one graph to the GraphDef's node outputs: the
// main graph, or a loop body inside one while-loop frame.
type scope struct {
	ex   *exporter
	out  map[*Tensor]string
	ctrl map[*Operation]string
	main bool
	// In a loop frame:
	body    *funcBody // the body whose ops the scope writes on demand
	frame   string    // the frame's name
	pivot   string    // the node every source node of the frame depends on
	prefix  string    // prepended to the body's op names ("" for the forward frame)
	parent  *scope    // the scope outside the loop
	enters  map[string]string
	variant map[string]bool // the frame's nodes that change from step to step
}

// attribute values
func aType(d DType) *pb.Message {
	v, n := dataTypeProto(d)
	return pb.New().Enum(6, "type", v, n)
}
func aBool(b bool) *pb.Message     { return pb.New().BoolAlways(5, "b", b) }
func aInt(i int64) *pb.Message     { return pb.New().IntAlways(3, "i", i) }
func aStr(s string) *pb.Message    { return pb.New().StringAlways(2, "s", s) }
func aShape(s Shape) *pb.Message   { return pb.New().Msg(7, "shape", shapeProto(s)) }
func aFloat(f float32) *pb.Message { return pb.New().FloatAlways(4, "f", f) }

type attrs = map[string]*pb.Message

// node adds a NodeDef named name (made unique), with data inputs in and
// control inputs ctrl, and returns its name. In a loop frame a node with
// no inputs depends on the frame's pivot, as TF puts a while body's
// constants in its frame.
func (s *scope) node(name, op string, in []string, a attrs, ctrl ...string) string {
	return s.add(s.ex.unique(name), op, in, a, ctrl)
}

// add adds a NodeDef with exactly this name (already reserved). In a
// loop body, a node none of whose inputs changes from step to step (a
// constant, or an op of loop-invariant tensors only) depends on the
// frame's pivot, so that it runs in every step, as TF puts a while body's
// constants in its frame: executors that key values by iteration
// (TensorFlow.js's) then find it in every step.
func (s *scope) add(name, op string, in []string, a attrs, ctrl []string) string {
	if s.pivot != "" && op != "Enter" {
		variant := false
		for _, x := range append(append([]string(nil), in...), ctrl...) {
			if s.variant[nodeOf(x)] {
				variant = true
			}
		}
		if !variant {
			ctrl = append(ctrl, s.pivot)
		}
		s.variant[name] = true
	}
	n := &nodeDef{name: name, op: op, attrs: a}
	n.inputs = append(n.inputs, in...)
	for _, c := range ctrl {
		n.inputs = append(n.inputs, "^"+c)
	}
	if n.attrs == nil {
		n.attrs = attrs{}
	}
	s.ex.nodes = append(s.ex.nodes, n)
	return name
}

func outName(node string, i int) string {
	if i == 0 {
		return node
	}
	return node + ":" + strconv.Itoa(i)
}

// constNode adds a Const node holding d.
func (s *scope) constNode(name string, d *tensor.Dense) string {
	return s.node(name, "Const", nil, attrs{"value": pb.New().Msg(8, "tensor", tensorProto(d)), "dtype": aType(DTypeOf(d.Dtype()))})
}

// ints adds an int32 vector constant.
func (s *scope) ints(name string, v ...int) string {
	b := make([]int32, len(v))
	for i, x := range v {
		b[i] = int32(x)
	}
	return s.constNode(name, tensor.New(tensor.WithShape(len(v)), tensor.WithBacking(b)))
}

// scalar adds a scalar constant of dtype d.
func (s *scope) scalar(name string, d DType, v float64) string {
	var x any
	switch d {
	case Float32:
		x = float32(v)
	case Float64:
		x = v
	case Int32:
		x = int32(v)
	case Int64:
		x = int64(v)
	default:
		x = float32(v)
	}
	return s.constNode(name, tensor.New(tensor.FromScalar(x)))
}

// ref returns the node output holding t, writing the body op that makes
// it first when s is a loop frame.
func (s *scope) ref(t *Tensor) (string, error) {
	if n, ok := s.out[t]; ok {
		return n, nil
	}
	if s.body != nil && t.g == s.body.Graph {
		for j, p := range s.body.Params {
			if p == t {
				outer, err := s.parent.ref(s.body.Captured[j])
				if err != nil {
					return "", err
				}
				n := s.enter(outer, aType(t.spec.DType))
				s.out[t] = n
				return n, nil
			}
		}
		if err := s.export(t.op); err != nil {
			return "", errors.Wrapf(err, "op %q (%s)", t.op.name, t.op.def.Type)
		}
		if n, ok := s.out[t]; ok {
			return n, nil
		}
	}
	return "", errors.Errorf("tensor %s is not written before its use", t.Name())
}

// enter brings a loop-invariant tensor of the enclosing scope into the
// frame (Enter with is_constant), once per tensor.
func (s *scope) enter(outer string, t *pb.Message) string {
	if n, ok := s.enters[outer]; ok {
		return n
	}
	n := s.node(s.frameBase()+"/Enter", "Enter", []string{outer}, attrs{"T": t, "frame_name": aStr(s.frame),
		"is_constant": aBool(true), "parallel_iterations": aInt(32)})
	s.enters[outer] = n
	return n
}

func (s *scope) frameBase() string { return s.frame[:len(s.frame)-len("/while_context")] }

// refs returns the node outputs of ts.
func (s *scope) refs(ts []*Tensor) ([]string, error) {
	out := make([]string, len(ts))
	for i, t := range ts {
		n, err := s.ref(t)
		if err != nil {
			return nil, err
		}
		out[i] = n
	}
	return out, nil
}

// opName is the name an op's node takes in this scope.
func (s *scope) opName(op *Operation) string {
	if s.main {
		return op.name // reserved for it
	}
	return s.ex.unique(s.prefix + op.name)
}

// export writes op's nodes and records its outputs.
func (s *scope) export(op *Operation) error {
	if _, done := s.ctrl[op]; done {
		return nil
	}
	if op.def == argDef {
		return errors.Errorf("argument %q of a loop body has no value in this frame", op.name)
	}
	op = exportForm(op)
	in, err := s.refs(op.inputs)
	if err != nil {
		return err
	}
	var ctrl []string
	for _, c := range op.control {
		if s.body != nil && c.g != s.body.Graph {
			continue
		}
		if s.body != nil {
			if err := s.export(c); err != nil {
				return err
			}
		}
		n, ok := s.ctrl[c]
		if !ok {
			return errors.Errorf("control input %q is not written before its use", c.name)
		}
		ctrl = append(ctrl, n)
	}
	name := s.opName(op)
	e := &opExport{s: s, op: op, name: name, in: in, ctrl: ctrl}
	mark := len(s.ex.nodes)
	if err := e.safeWrite(); err != nil {
		if !s.main {
			return err
		}
		// No TF form (yet): the op keeps its gorgoflow type, so that the
		// graph is still written for TensorBoard and Saver's .meta file.
		s.ex.nodes = s.ex.nodes[:mark]
		v, _ := op.attrs["variable"].(*Variable)
		e = &opExport{s: s, op: op, name: name, in: in, ctrl: ctrl}
		e.untranslated(v)
	}
	s.ctrl[op] = e.done
	for i, t := range op.outputs {
		if i < len(e.outs) {
			s.out[t] = e.outs[i]
		} else {
			s.out[t] = outName(e.done, i)
		}
	}
	return nil
}

// safeWrite writes the op, an internal failure as an error.
func (e *opExport) safeWrite() (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errors.Errorf("writing op %q: %v", e.op.name, r)
		}
	}()
	return e.write()
}

// opExport writes one op.
type opExport struct {
	s    *scope
	op   *Operation
	name string   // the op's node name
	in   []string // its inputs' node outputs
	ctrl []string // its control inputs' nodes
	outs []string // its outputs' node outputs (default name:i)
	done string   // the node control inputs on the op name
}

// final adds the op's own node (named as the op), with _output_shapes,
// and makes it the op's outputs.
func (e *opExport) final(typ string, in []string, a attrs) {
	if a == nil {
		a = attrs{}
	}
	if len(e.op.outputs) > 0 {
		list := pb.New()
		for _, t := range e.op.outputs {
			list.Msg(7, "shape", shapeProto(t.spec.Shape))
		}
		a["_output_shapes"] = pb.New().Msg(1, "list", list)
	}
	e.s.add(e.name, typ, in, a, e.ctrl)
	e.done = e.name
}

// sub adds a helper node named under the op.
func (e *opExport) sub(suffix, typ string, in []string, a attrs) string {
	return e.s.node(e.name+"/"+suffix, typ, in, a)
}

func (e *opExport) dtype(i int) DType { return e.op.inputs[i].spec.DType }

// dataTypeProto returns d's DataType enum value and name in TF's
// types.proto (1, "DT_FLOAT" for Float32).
func dataTypeProto(d DType) (int32, string) {
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

// shapeProto returns s as TF's TensorShapeProto: -1 for None, unknown_rank
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
	v, n := dataTypeProto(dt)
	m := pb.New().Enum(1, "dtype", v, n).Msg(2, "tensor_shape", shapeProto(Shape(append([]int{}, d.Shape()...))))
	if d.Shape().TotalSize() == 1 || len(d.Shape()) == 0 {
		x := float64s(d)[0]
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

// attrValue converts a gorgoflow attribute to TF's AttrValue, or nil for
// values that have no TF form (Go functions, loop descriptions); it writes
// the attributes of ops that have no TF form.
func attrValue(a any) *pb.Message {
	switch x := a.(type) {
	case bool:
		return aBool(x)
	case int:
		return aInt(int64(x))
	case int64:
		return aInt(x)
	case float64:
		return aFloat(float32(x))
	case float32:
		return aFloat(x)
	case string:
		return aStr(x)
	case DType:
		return aType(x)
	case Shape:
		return aShape(x)
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
