package train_test

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gorgoflow/gorgoflow/internal/pb"
)

// An independent check of exported GraphDefs against TensorFlow's own op
// definitions (internal/testdata/tf_opdefs.pbtxt, TF's OpDefs copied from
// its sources): every node's op exists, its inputs match the op's input
// arguments in number (with number_attr and type_list_attr lists) and
// dtype, its attrs are the op's with values of the declared types, every
// attr without a default is present, and the graph is acyclic but for
// while loops' NextIteration edges. The GraphDef is decoded here with
// protowire from the bytes written, not with the code that wrote it.

// textNode is a message of the protobuf text format.
type textNode struct {
	fields []textField
}

type textField struct {
	name string
	val  string // scalar value (strings unquoted)
	msg  *textNode
}

func (n *textNode) get(name string) string {
	for _, f := range n.fields {
		if f.name == name {
			return f.val
		}
	}
	return ""
}

// vals returns the values of the repeated scalar field name.
func (n *textNode) vals(name string) []string {
	var out []string
	for _, f := range n.fields {
		if f.name == name && f.msg == nil {
			out = append(out, f.val)
		}
	}
	return out
}

// allowed returns the values an OpDef attr allows (allowed_values'
// list: its "type" or "s" entries), nil when it allows any.
func (n *textNode) allowed(field string) []string {
	for _, av := range n.all("allowed_values") {
		for _, l := range av.all("list") {
			return l.vals(field)
		}
	}
	return nil
}

func (n *textNode) has(name string) bool {
	for _, f := range n.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

func (n *textNode) all(name string) []*textNode {
	var out []*textNode
	for _, f := range n.fields {
		if f.name == name && f.msg != nil {
			out = append(out, f.msg)
		}
	}
	return out
}

// parseText parses the protobuf text format (enough of it for OpLists).
func parseText(s string) (*textNode, error) {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
		case unicode.IsSpace(rune(c)):
			i++
		case c == '{' || c == '}' || c == ':':
			toks = append(toks, string(c))
			i++
		case c == '"':
			j := i + 1
			for j < len(s) && s[j] != '"' {
				if s[j] == '\\' {
					j++
				}
				j++
			}
			u, err := strconv.Unquote(s[i : j+1])
			if err != nil {
				return nil, err
			}
			toks = append(toks, "\x00"+u)
			i = j + 1
		default:
			j := i
			for j < len(s) && !unicode.IsSpace(rune(s[j])) && !strings.ContainsRune("{}:#\"", rune(s[j])) {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	pos := 0
	var msg func() (*textNode, error)
	msg = func() (*textNode, error) {
		n := &textNode{}
		for pos < len(toks) && toks[pos] != "}" {
			name := toks[pos]
			pos++
			if pos < len(toks) && toks[pos] == ":" {
				pos++
			}
			if pos >= len(toks) {
				return nil, fmt.Errorf("field %s has no value", name)
			}
			if toks[pos] == "{" {
				pos++
				sub, err := msg()
				if err != nil {
					return nil, err
				}
				if pos >= len(toks) || toks[pos] != "}" {
					return nil, fmt.Errorf("unclosed %s", name)
				}
				pos++
				n.fields = append(n.fields, textField{name: name, msg: sub})
				continue
			}
			n.fields = append(n.fields, textField{name: name, val: strings.TrimPrefix(toks[pos], "\x00")})
			pos++
		}
		return n, nil
	}
	return msg()
}

// tfOpDefs reads TF's vendored OpDefs by op name.
func tfOpDefs(t *testing.T) map[string]*textNode {
	t.Helper()
	b, err := os.ReadFile("../internal/testdata/tf_opdefs.pbtxt")
	if err != nil {
		t.Fatal(err)
	}
	root, err := parseText(string(b))
	if err != nil {
		t.Fatal(err)
	}
	defs := map[string]*textNode{}
	for _, op := range root.all("op") {
		defs[op.get("name")] = op
	}
	return defs
}

// wire decoding of GraphDef, NodeDef and AttrValue (TF's graph.proto,
// node_def.proto, attr_value.proto field numbers).

type wireField struct {
	num protowire.Number
	typ protowire.Type
	v   uint64
	b   []byte
}

func wireFields(t *testing.T, b []byte) []wireField {
	t.Helper()
	var out []wireField
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			t.Fatalf("bad tag: %v", protowire.ParseError(n))
		}
		b = b[n:]
		f := wireField{num: num, typ: typ}
		switch typ {
		case protowire.VarintType:
			f.v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			f.b, n = protowire.ConsumeBytes(b)
		case protowire.Fixed32Type:
			var v uint32
			v, n = protowire.ConsumeFixed32(b)
			f.v = uint64(v)
		case protowire.Fixed64Type:
			f.v, n = protowire.ConsumeFixed64(b)
		default:
			t.Fatalf("unexpected wire type %d", typ)
		}
		if n < 0 {
			t.Fatalf("bad field %d: %v", num, protowire.ParseError(n))
		}
		b = b[n:]
		out = append(out, f)
	}
	return out
}

// attrVal is a decoded AttrValue: which oneof field is set, and the list
// of types for list values.
type attrVal struct {
	kinds []protowire.Number // the value fields set
	i     int64
	typ   int64
	list  []protowire.Number // fields present in a ListValue
	types []int64
	s     string
}

type wireNode struct {
	name, op string
	inputs   []string
	attrs    map[string]attrVal
}

// dtypeNum is TF's DataType enum (types.proto).
var dtypeNum = map[string]int64{"DT_FLOAT": 1, "DT_DOUBLE": 2, "DT_INT32": 3, "DT_UINT8": 4, "DT_INT16": 5,
	"DT_INT8": 6, "DT_STRING": 7, "DT_COMPLEX64": 8, "DT_INT64": 9, "DT_BOOL": 10, "DT_QINT8": 11, "DT_QUINT8": 12,
	"DT_QINT32": 13, "DT_BFLOAT16": 14, "DT_QINT16": 15, "DT_QUINT16": 16, "DT_UINT16": 17, "DT_COMPLEX128": 18,
	"DT_HALF": 19, "DT_RESOURCE": 20, "DT_VARIANT": 21, "DT_UINT32": 22, "DT_UINT64": 23}

func decodeNodes(t *testing.T, graphDef []byte) []*wireNode {
	t.Helper()
	var nodes []*wireNode
	for _, f := range wireFields(t, graphDef) {
		if f.num != 1 {
			continue
		}
		n := &wireNode{attrs: map[string]attrVal{}}
		for _, g := range wireFields(t, f.b) {
			switch g.num {
			case 1:
				n.name = string(g.b)
			case 2:
				n.op = string(g.b)
			case 3:
				n.inputs = append(n.inputs, string(g.b))
			case 5:
				var key string
				var val []byte
				for _, e := range wireFields(t, g.b) {
					if e.num == 1 {
						key = string(e.b)
					} else if e.num == 2 {
						val = e.b
					}
				}
				var a attrVal
				for _, v := range wireFields(t, val) {
					a.kinds = append(a.kinds, v.num)
					switch v.num {
					case 3:
						a.i = int64(v.v)
					case 6:
						a.typ = int64(v.v)
					case 2:
						a.s = string(v.b)
					case 1:
						for _, l := range wireFields(t, v.b) {
							a.list = append(a.list, l.num)
							if l.num == 6 {
								if l.typ == protowire.BytesType { // packed
									for p := l.b; len(p) > 0; {
										x, k := protowire.ConsumeVarint(p)
										a.types = append(a.types, int64(x))
										p = p[k:]
									}
								} else {
									a.types = append(a.types, int64(l.v))
								}
							}
						}
					}
				}
				n.attrs[key] = a
			}
		}
		nodes = append(nodes, n)
	}
	return nodes
}

// typeDefault returns the default of a type attr of def.
func typeDefault(def *textNode, name string) (int64, bool) {
	for _, a := range def.all("attr") {
		if a.get("name") != name {
			continue
		}
		for _, d := range a.all("default_value") {
			if v := d.get("type"); v != "" {
				return dtypeNum[v], true
			}
		}
	}
	return 0, false
}

// attrField is the AttrValue field an OpDef attr type takes.
var attrField = map[string]protowire.Number{"string": 2, "int": 3, "float": 4, "bool": 5, "type": 6, "shape": 7,
	"tensor": 8, "func": 10, "list(type)": 1, "list(int)": 1, "list(string)": 1, "list(shape)": 1, "list(float)": 1}

// checkGraphDef checks every node of graphDef against TF's OpDefs and
// returns the problems found and the op types seen.
func checkGraphDef(t *testing.T, defs map[string]*textNode, graphDef []byte) (problems []string, types map[string]int) {
	t.Helper()
	nodes := decodeNodes(t, graphDef)
	byName := map[string]*wireNode{}
	types = map[string]int{}
	for _, n := range nodes {
		if byName[n.name] != nil {
			problems = append(problems, fmt.Sprintf("node name %q used twice", n.name))
		}
		byName[n.name] = n
		types[n.op]++
	}
	bad := func(n *wireNode, format string, args ...any) {
		problems = append(problems, fmt.Sprintf("%s (%s): %s", n.name, n.op, fmt.Sprintf(format, args...)))
	}
	// argTypes expands an OpDef's input or output args into one dtype per
	// tensor (0 when the attr giving it is missing) and ref flags.
	argTypes := func(n *wireNode, def *textNode, field string) ([]int64, []bool, bool) {
		var dts []int64
		var refs []bool
		ok := true
		for _, arg := range def.all(field) {
			count := 1
			var dt int64
			switch {
			case arg.has("type_list_attr"):
				a, present := n.attrs[arg.get("type_list_attr")]
				if !present {
					ok = false
					continue
				}
				for _, x := range a.types {
					dts, refs = append(dts, x), append(refs, arg.get("is_ref") == "true")
				}
				continue
			case arg.has("type_attr"):
				a, present := n.attrs[arg.get("type_attr")]
				dt = a.typ
				if !present {
					// an attr with a default takes it
					dt, present = typeDefault(def, arg.get("type_attr"))
					ok = ok && present
				}
			default:
				dt = dtypeNum[arg.get("type")]
			}
			if na := arg.get("number_attr"); na != "" {
				a, present := n.attrs[na]
				if !present {
					ok = false
					continue
				}
				count = int(a.i)
			}
			for i := 0; i < count; i++ {
				dts, refs = append(dts, dt), append(refs, arg.get("is_ref") == "true")
			}
		}
		return dts, refs, ok
	}
	outTypes := map[string][]int64{}
	outRefs := map[string][]bool{}
	for _, n := range nodes {
		def := defs[n.op]
		if def == nil {
			continue
		}
		outTypes[n.name], outRefs[n.name], _ = argTypes(n, def, "output_arg")
	}
	for _, n := range nodes {
		def := defs[n.op]
		if def == nil {
			bad(n, "no such op in TF's registry")
			continue
		}
		// attrs
		declared := map[string]*textNode{}
		for _, a := range def.all("attr") {
			declared[a.get("name")] = a
		}
		for k, v := range n.attrs {
			if strings.HasPrefix(k, "_") {
				continue
			}
			d := declared[k]
			if d == nil {
				bad(n, "attr %q is not one of the op's", k)
				continue
			}
			if len(v.kinds) != 1 {
				bad(n, "attr %q has %d values set, want 1", k, len(v.kinds))
				continue
			}
			if want := attrField[d.get("type")]; v.kinds[0] != want {
				bad(n, "attr %q holds field %d, TF's type %q is field %d", k, v.kinds[0], d.get("type"), want)
			}
			if d.get("type") == "list(type)" {
				for _, l := range v.list {
					if l != 6 {
						bad(n, "attr %q: list(type) holds field %d", k, l)
					}
				}
			}
			switch typ := d.get("type"); typ {
			case "type", "list(type)":
				if names := d.allowed("type"); names != nil {
					ok := map[int64]bool{}
					for _, name := range names {
						num, known := dtypeNum[name]
						if !known {
							t.Fatalf("%s's attr %q allows %s, not in dtypeNum", n.op, k, name)
						}
						ok[num] = true
					}
					got := v.types
					if typ == "type" {
						got = []int64{v.typ}
					}
					for _, x := range got {
						if !ok[x] {
							bad(n, "attr %q is type %d, not among TF's allowed %v", k, x, names)
						}
					}
				}
			case "string":
				if names := d.allowed("s"); names != nil && !slices.Contains(names, v.s) {
					bad(n, "attr %q is %q, not among TF's allowed %q", k, v.s, names)
				}
			}
			if d.get("has_minimum") == "true" {
				min, _ := strconv.ParseInt(d.get("minimum"), 10, 64)
				got := v.i
				if d.get("type") == "list(type)" {
					got = int64(len(v.types))
				}
				if got < min {
					bad(n, "attr %q is %d, below TF's minimum %d", k, got, min)
				}
			}
		}
		for name, d := range declared {
			if _, ok := n.attrs[name]; !ok && !d.has("default_value") {
				bad(n, "required attr %q missing", name)
			}
		}
		// inputs
		var data []string
		control := false
		for _, in := range n.inputs {
			if strings.HasPrefix(in, "^") {
				control = true
				if byName[in[1:]] == nil {
					bad(n, "control input %q names no node", in)
				}
				continue
			}
			if control {
				bad(n, "data input %q after a control input", in)
			}
			data = append(data, in)
		}
		want, wantRef, ok := argTypes(n, def, "input_arg")
		if !ok {
			bad(n, "an attr sizing or typing its inputs is missing")
			continue
		}
		if len(data) != len(want) {
			bad(n, "%d data inputs, TF's op takes %d", len(data), len(want))
			continue
		}
		for i, in := range data {
			src, idx := in, 0
			if c := strings.LastIndexByte(in, ':'); c >= 0 {
				src = in[:c]
				var err error
				if idx, err = strconv.Atoi(in[c+1:]); err != nil {
					bad(n, "input %q: bad output index", in)
					continue
				}
			}
			p := byName[src]
			if p == nil {
				bad(n, "input %q names no node", in)
				continue
			}
			pts := outTypes[src]
			if defs[p.op] == nil {
				continue // reported at p
			}
			if idx >= len(pts) {
				bad(n, "input %q: %s has %d outputs", in, p.op, len(pts))
				continue
			}
			if pts[idx] != want[i] {
				bad(n, "input %d (%q) has dtype %d, TF's op wants %d", i, in, pts[idx], want[i])
			}
			if wantRef[i] && !outRefs[src][idx] {
				bad(n, "input %d (%q) must be a reference (a variable), it is the output of %s", i, in, p.op)
			}
		}
	}
	// Acyclic but for NextIteration -> Merge edges.
	state := map[string]int{}
	var visit func(n *wireNode) bool
	visit = func(n *wireNode) bool {
		switch state[n.name] {
		case 1:
			return false
		case 2:
			return true
		}
		state[n.name] = 1
		for _, in := range n.inputs {
			src := strings.TrimPrefix(in, "^")
			if c := strings.LastIndexByte(src, ':'); c >= 0 {
				src = src[:c]
			}
			p := byName[src]
			if p == nil || (n.op == "Merge" && p.op == "NextIteration") {
				continue
			}
			if !visit(p) {
				bad(n, "on a cycle that does not pass through NextIteration")
				return false
			}
		}
		state[n.name] = 2
		return true
	}
	for _, n := range nodes {
		visit(n)
	}
	sort.Strings(problems)
	return problems, types
}

// TestOpDefCheckerCatches: the checker reports what TF's importer rejects.
func TestOpDefCheckerCatches(t *testing.T) {
	defs := tfOpDefs(t)
	node := func(name, op string, inputs []string, attrs map[string]*pb.Message) *pb.Message {
		n := pb.New().String(1, "name", name).String(2, "op", op)
		for _, in := range inputs {
			n.StringAlways(3, "input", in)
		}
		for _, k := range pb.SortedKeys(attrs) {
			n.MapEntry(5, "attr", k, attrs[k])
		}
		return n
	}
	float := pb.New().Enum(6, "type", 1, "DT_FLOAT")
	i32 := pb.New().Enum(6, "type", 3, "DT_INT32")
	x := node("x", "Placeholder", nil, map[string]*pb.Message{"dtype": float})
	idx := node("i", "Placeholder", nil, map[string]*pb.Message{"dtype": i32})
	cases := []struct {
		n    *pb.Message
		want string
	}{
		{node("a", "NoSuchOp", nil, nil), "no such op"},
		{node("a", "Tanh", []string{"x"}, nil), `required attr "T" missing`},
		{node("a", "Tanh", []string{"x", "x"}, map[string]*pb.Message{"T": float}), "2 data inputs, TF's op takes 1"},
		{node("a", "Tanh", []string{"x"}, map[string]*pb.Message{"T": float, "axis": pb.New().IntAlways(3, "i", 1)}), `attr "axis" is not one of the op's`},
		{node("a", "Tanh", []string{"x"}, map[string]*pb.Message{"T": pb.New().IntAlways(3, "i", 1)}), `attr "T" holds field 3`},
		{node("a", "Tanh", []string{"x"}, map[string]*pb.Message{"T": pb.New()}), `attr "T" has 0 values set`},
		{node("a", "Tanh", []string{"i"}, map[string]*pb.Message{"T": float}), "has dtype 3, TF's op wants 1"},
		{node("a", "Mean", []string{"x"}, map[string]*pb.Message{"T": float}), "1 data inputs, TF's op takes 2"},
		{node("a", "AddN", []string{"x", "x"}, map[string]*pb.Message{"T": float, "N": pb.New().IntAlways(3, "i", 3)}), "2 data inputs, TF's op takes 3"},
		{node("a", "Assign", []string{"x", "x"}, map[string]*pb.Message{"T": float}), "must be a reference"},
		{node("a", "Tanh", []string{"nowhere"}, map[string]*pb.Message{"T": float}), `names no node`},
		{node("a", "Tanh", []string{"^x", "x"}, map[string]*pb.Message{"T": float}), "after a control input"},
		{node("a", "Merge", []string{"x", "x"}, map[string]*pb.Message{"T": float, "N": pb.New().IntAlways(3, "i", 0)}), "below TF's minimum"},
		{node("a", "Tanh", []string{"i"}, map[string]*pb.Message{"T": i32}), `attr "T" is type 3, not among TF's allowed`},
		{node("a", "Shape", []string{"x"}, map[string]*pb.Message{"T": float, "out_type": float}), `attr "out_type" is type 1, not among TF's allowed [DT_INT32 DT_INT64]`},
		{node("a", "BiasAdd", []string{"x", "x"}, map[string]*pb.Message{"T": float, "data_format": pb.New().StringAlways(2, "s", "NWHC")}), `attr "data_format" is "NWHC", not among TF's allowed ["NHWC" "NCHW"]`},
	}
	for _, c := range cases {
		g := pb.New().Msg(1, "node", x).Msg(1, "node", idx).Msg(1, "node", c.n)
		problems, _ := checkGraphDef(t, defs, g.Marshal())
		if !strings.Contains(strings.Join(problems, "\n"), c.want) {
			t.Errorf("%s: problems %q, want one with %q", c.n.Text(), problems, c.want)
		}
	}
	// A cycle not through NextIteration.
	g := pb.New().Msg(1, "node", node("a", "Identity", []string{"b"}, map[string]*pb.Message{"T": float})).
		Msg(1, "node", node("b", "Identity", []string{"a"}, map[string]*pb.Message{"T": float}))
	if problems, _ := checkGraphDef(t, defs, g.Marshal()); !strings.Contains(strings.Join(problems, "\n"), "cycle") {
		t.Errorf("cycle not reported: %q", problems)
	}
}
