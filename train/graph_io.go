package train

import (
	"os"
	"path/filepath"
	"strconv"

	"github.com/pkg/errors"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/gorgoflow/gorgoflow/internal/bundle"
	"github.com/gorgoflow/gorgoflow/internal/pb"
	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// WriteGraph writes g's GraphDef to logdir/name (tf.train.write_graph),
// in the text format (graph.pbtxt) when asText, else binary, creating
// logdir if needed, and returns the file's path.
func WriteGraph(g *tf.Graph, logdir, name string, asText bool) (string, error) {
	if g == nil {
		return "", errors.New("train.WriteGraph: graph is nil")
	}
	gd, err := g.AsGraphDef()
	if err != nil {
		return "", errors.Wrap(err, "train.WriteGraph")
	}
	b := gd.Marshal()
	if asText {
		b = []byte(gd.String())
	}
	if err := os.MkdirAll(logdir, 0o755); err != nil {
		return "", errors.Wrap(err, "train.WriteGraph")
	}
	path := filepath.Join(logdir, name)
	if err := bundle.WriteFileAtomic(path, b); err != nil {
		return "", errors.Wrap(err, "train.WriteGraph")
	}
	return path, nil
}

// AsText makes ExportMetaGraph write the text format (as_text=, default
// false).
func AsText(b bool) Option { return Option{"as_text", func(o *options) { o.asText = b }} }

// ExportMetaGraph writes the MetaGraphDef of the saver's graph to filename
// (saver.export_meta_graph; Save writes prefix.meta with it). Options:
// AsText (false).
func (s *Saver) ExportMetaGraph(filename string, opts ...Option) error {
	if err := s.Err(); err != nil {
		return err
	}
	o, err := parse("Saver.ExportMetaGraph", opts, "as_text")
	if err != nil {
		return err
	}
	m, err := s.metaGraphDef()
	if err != nil {
		return errors.Wrap(err, "Saver.ExportMetaGraph")
	}
	b := m.Marshal()
	if o.asText {
		b = []byte(m.Text())
	}
	return errors.Wrap(bundle.WriteFileAtomic(filename, b), "Saver.ExportMetaGraph")
}

// WithSaver gives ExportMetaGraph the saver whose save and restore ops and
// SaverDef the MetaGraphDef holds (saver_def=).
func WithSaver(s *Saver) Option { return Option{"saver_def", func(o *options) { o.saver = s }} }

// ExportMetaGraph writes the MetaGraphDef of the default graph to filename
// (tf.train.export_meta_graph): the GraphDef, the variables collections,
// and with WithSaver the saver's ops and SaverDef. Options: AsText
// (false), WithSaver.
func ExportMetaGraph(filename string, opts ...Option) error {
	o, err := parse("train.ExportMetaGraph", opts, "as_text", "saver_def")
	if err != nil {
		return err
	}
	g := tf.DefaultGraph()
	if o.saver != nil {
		if err := o.saver.Err(); err != nil {
			return err
		}
		g = o.saver.g
	}
	m, err := metaGraphDef(g, o.saver)
	if err != nil {
		return errors.Wrap(err, "train.ExportMetaGraph")
	}
	b := m.Marshal()
	if o.asText {
		b = []byte(m.Text())
	}
	return errors.Wrap(bundle.WriteFileAtomic(filename, b), "train.ExportMetaGraph")
}

func (s *Saver) metaGraph() ([]byte, error) {
	m, err := s.metaGraphDef()
	if err != nil {
		return nil, err
	}
	return m.Marshal(), nil
}

// metaGraphDef returns the MetaGraphDef: meta_info_def, the graph with
// TF's save and restore ops for this saver's variables ("save/..."), the
// SaverDef naming them, and the "variables" and "trainable_variables"
// collections, so TF 1.x's import_meta_graph + restore can load it.
func (s *Saver) metaGraphDef() (*pb.Message, error) { return metaGraphDef(s.g, s) }

// metaGraphDef returns g's MetaGraphDef, with saver's ops and SaverDef
// when saver is not nil.
func metaGraphDef(g *tf.Graph, s *Saver) (*pb.Message, error) {
	gd, err := g.AsGraphDef()
	if err != nil {
		return nil, err
	}
	// A GraphDef's nodes are a repeated field: the save ops are appended
	// to the graph's serialized nodes.
	save := pb.New()
	if s != nil {
		save = s.saveNodes()
	}
	graphBytes, err := appendNodes(gd.Marshal(), save.Marshal())
	if err != nil {
		return nil, err
	}
	m := pb.New().
		Msg(1, "meta_info_def", pb.New().String(1, "meta_graph_version", "v1.15.0").
			String(5, "tensorflow_version", "1.15.0").String(6, "tensorflow_git_version", "gorgoflow")).
		Embedded(2, "graph_def", graphBytes, gd.String()+save.Text())
	if s != nil {
		m.Msg(3, "saver_def", pb.New().
			String(1, "filename_tensor_name", "save/Const:0").
			String(2, "save_tensor_name", "save/control_dependency:0").
			String(3, "restore_op_name", "save/restore_all").
			Int(4, "max_to_keep", int64(s.maxToKeep)).
			Bool(5, "sharded", s.sharded).
			Float(6, "keep_checkpoint_every_n_hours", float32(s.keepHours)).
			Enum(7, "version", 2, "V2"))
	}
	var all, trainable []*tf.Variable
	all = g.Variables()
	trainable = g.TrainableVariables()
	for _, c := range []struct {
		name string
		vars []*tf.Variable
	}{{"trainable_variables", trainable}, {"variables", all}} {
		if len(c.vars) == 0 {
			continue
		}
		list := pb.New()
		for _, v := range c.vars {
			list.StringAlways(1, "value", string(variableDef(v).Marshal()))
		}
		m.MapEntry(4, "collection_def", c.name, pb.New().Msg(2, "bytes_list", list))
	}
	return m, nil
}

// appendNodes returns a GraphDef with more nodes, its fields in field
// order (the nodes, then the other fields), as TF serializes them.
func appendNodes(graph, nodes []byte) ([]byte, error) {
	fs, err := pb.Parse(graph)
	if err != nil {
		return nil, err
	}
	var head, tail []byte
	for _, f := range fs {
		if f.Type != protowire.BytesType {
			return nil, errors.Errorf("unexpected GraphDef field %d", f.Num)
		}
		b := protowire.AppendBytes(protowire.AppendTag(nil, protowire.Number(f.Num), f.Type), f.Bytes)
		if f.Num == 1 {
			head = append(head, b...)
		} else {
			tail = append(tail, b...)
		}
	}
	return append(append(head, nodes...), tail...), nil
}

func variableDef(v *tf.Variable) *pb.Message {
	return pb.New().
		String(1, "variable_name", v.Name()+":0").
		String(2, "initializer_name", v.Initializer().Name()).
		String(3, "snapshot_name", v.Name()+":0").
		String(6, "initial_value_name", v.InitialValue().Name()).
		Bool(7, "trainable", v.IsTrainable())
}

// saveNodes returns the NodeDefs of TF's save and restore ops for s (as
// TF's BaseSaverBuilder builds them for a V2, unsharded saver), in a
// message holding them as GraphDef.node fields.
func (s *Saver) saveNodes() *pb.Message {
	typ := func(d int32, n string) *pb.Message { return pb.New().Enum(6, "type", d, n) }
	stringTensor := func(vals []string, scalar bool) *pb.Message {
		t := pb.New().Enum(1, "dtype", 7, "DT_STRING")
		sh := pb.New()
		if !scalar {
			sh.Msg(2, "dim", pb.New().Int(1, "size", int64(len(vals))))
		}
		t.Msg(2, "tensor_shape", sh)
		for _, v := range vals {
			t.StringAlways(8, "string_val", v)
		}
		return pb.New().Msg(8, "tensor", t)
	}
	scalarString := typ(7, "DT_STRING")
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
	var dtypes []int64
	var dnames []string
	var vars []string
	slices := make([]string, len(s.names))
	for _, name := range s.names {
		v := s.vars[name]
		d, n := tfimpl.DataTypeProto(v.DType())
		dtypes = append(dtypes, int64(d))
		dnames = append(dnames, n)
		vars = append(vars, v.Name())
	}
	dtypesAttr := pb.New().Msg(1, "list", pb.New().PackedEnums(6, "type", dtypes, dnames))
	g := pb.New()
	add := func(n *pb.Message) { g.Msg(1, "node", n) }
	add(node("save/filename/input", "Const", nil, map[string]*pb.Message{"dtype": scalarString, "value": stringTensor([]string{"model"}, true)}))
	add(node("save/filename", "PlaceholderWithDefault", []string{"save/filename/input"}, map[string]*pb.Message{"dtype": scalarString, "shape": pb.New().Msg(7, "shape", pb.New())}))
	add(node("save/Const", "PlaceholderWithDefault", []string{"save/filename"}, map[string]*pb.Message{"dtype": scalarString, "shape": pb.New().Msg(7, "shape", pb.New())}))
	add(node("save/SaveV2/tensor_names", "Const", nil, map[string]*pb.Message{"dtype": scalarString, "value": stringTensor(s.names, false)}))
	add(node("save/SaveV2/shape_and_slices", "Const", nil, map[string]*pb.Message{"dtype": scalarString, "value": stringTensor(slices, false)}))
	add(node("save/SaveV2", "SaveV2", append([]string{"save/Const", "save/SaveV2/tensor_names", "save/SaveV2/shape_and_slices"}, vars...), map[string]*pb.Message{"dtypes": dtypesAttr}))
	add(node("save/control_dependency", "Identity", []string{"save/Const", "^save/SaveV2"}, map[string]*pb.Message{"T": scalarString,
		"_class": pb.New().Msg(1, "list", pb.New().StringAlways(2, "s", "loc:@save/Const"))}))
	add(node("save/RestoreV2/tensor_names", "Const", nil, map[string]*pb.Message{"dtype": scalarString, "value": stringTensor(s.names, false)}))
	add(node("save/RestoreV2/shape_and_slices", "Const", nil, map[string]*pb.Message{"dtype": scalarString, "value": stringTensor(slices, false)}))
	add(node("save/RestoreV2", "RestoreV2", []string{"save/Const", "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices"}, map[string]*pb.Message{"dtypes": dtypesAttr}))
	var assigns []string
	for i, name := range s.names {
		v := s.vars[name]
		an := "save/Assign"
		if i > 0 {
			an += "_" + strconv.Itoa(i)
		}
		out := "save/RestoreV2"
		if i > 0 {
			out += ":" + strconv.Itoa(i)
		}
		d, n := tfimpl.DataTypeProto(v.DType())
		add(node(an, "Assign", []string{v.Name(), out}, map[string]*pb.Message{"T": typ(d, n),
			"use_locking": pb.New().Bool(5, "b", true), "validate_shape": pb.New().Bool(5, "b", true),
			"_class": pb.New().Msg(1, "list", pb.New().StringAlways(2, "s", "loc:@"+v.Name()))}))
		assigns = append(assigns, "^"+an)
	}
	add(node("save/restore_all", "NoOp", assigns, nil))
	return g
}
