package train

import (
	"encoding/binary"
	"math"
	"os"

	"github.com/pkg/errors"
	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/internal/bundle"
	"github.com/gorgoflow/gorgoflow/tf"
)

// CheckpointVariable describes one variable of a checkpoint (an entry of
// tf.train.list_variables).
type CheckpointVariable struct {
	Name  string
	Shape tf.Shape
	// DType is the variable's element type, or tf.Invalid for a type
	// gorgoflow does not have (TF 2's object graph is a string tensor).
	DType tf.DType
}

// ListVariables returns the variables of a checkpoint, sorted by name
// (tf.train.list_variables): ckptDirOrFile is a checkpoint prefix or a
// directory, whose latest checkpoint is read.
func ListVariables(ckptDirOrFile string) ([]CheckpointVariable, error) {
	r, err := openDirOrFile("train.ListVariables", ckptDirOrFile)
	if err != nil {
		return nil, err
	}
	var out []CheckpointVariable
	for _, e := range r.Entries() {
		shape := make(tf.Shape, len(e.Shape))
		for i, d := range e.Shape {
			shape[i] = int(d)
		}
		out = append(out, CheckpointVariable{Name: e.Name, Shape: shape, DType: dtypeOf(e.DType)})
	}
	return out, nil
}

// LoadVariable returns the value of the variable name in a checkpoint
// (tf.train.load_variable); ckptDirOrFile is as for ListVariables.
func LoadVariable(ckptDirOrFile, name string) (*tf.Array, error) {
	r, err := openDirOrFile("train.LoadVariable", ckptDirOrFile)
	if err != nil {
		return nil, err
	}
	a, err := readTensor(r, name, tf.Invalid, nil)
	if err != nil {
		return nil, errors.Wrapf(err, "train.LoadVariable: variable %q", name)
	}
	return a, nil
}

func openDirOrFile(fn, path string) (*bundle.Reader, error) {
	prefix := path
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		prefix = LatestCheckpoint(path)
		if prefix == "" {
			return nil, errors.Errorf("%s: Couldn't find 'checkpoint' file or checkpoints in given directory %s", fn, path)
		}
	}
	r, err := openCheckpoint(prefix)
	if err != nil {
		return nil, errors.Wrap(err, fn)
	}
	return r, nil
}

// checkpointDTypes pairs the dtypes a checkpoint holds with TF's DataType
// enum values, for both directions of the mapping.
var checkpointDTypes = []struct {
	tf     tf.DType
	bundle bundle.DataType
}{
	{tf.Float32, bundle.DTFloat},
	{tf.Float64, bundle.DTDouble},
	{tf.Int32, bundle.DTInt32},
	{tf.Int64, bundle.DTInt64},
	{tf.Bool, bundle.DTBool},
}

func checkpointDType(d tf.DType) bundle.DataType {
	for _, p := range checkpointDTypes {
		if p.tf == d {
			return p.bundle
		}
	}
	return bundle.DTInvalid
}

func dtypeOf(d bundle.DataType) tf.DType {
	for _, p := range checkpointDTypes {
		if p.bundle == d {
			return p.tf
		}
	}
	return tf.Invalid
}

// encodeTensor returns a variable's value as a bundle tensor: its elements
// little-endian, as TF writes them.
func encodeTensor(name string, a *tf.Array) (bundle.Tensor, error) {
	d := a.Dense
	t := bundle.Tensor{Name: name, DType: checkpointDType(a.DType())}
	for _, n := range d.Shape() {
		t.Shape = append(t.Shape, int64(n))
	}
	le := binary.LittleEndian
	switch a.DType() {
	case tf.Float32:
		xs := d.Float32s()
		t.Data = make([]byte, 0, 4*len(xs))
		for _, x := range xs {
			t.Data = le.AppendUint32(t.Data, math.Float32bits(x))
		}
	case tf.Float64:
		xs := d.Float64s()
		t.Data = make([]byte, 0, 8*len(xs))
		for _, x := range xs {
			t.Data = le.AppendUint64(t.Data, math.Float64bits(x))
		}
	case tf.Int32:
		for _, x := range d.Int32s() {
			t.Data = le.AppendUint32(t.Data, uint32(x))
		}
	case tf.Int64:
		for _, x := range d.Int64s() {
			t.Data = le.AppendUint64(t.Data, uint64(x))
		}
	case tf.Bool:
		for _, x := range d.Bools() {
			if x {
				t.Data = append(t.Data, 1)
			} else {
				t.Data = append(t.Data, 0)
			}
		}
	default:
		return t, errors.Errorf("variable %q has dtype %s, which checkpoints cannot hold", name, a.DType())
	}
	return t, nil
}

// readTensor reads tensor name of r; a dtype other than Invalid and a
// non-nil shape are checked against the checkpoint's.
func readTensor(r *bundle.Reader, name string, dtype tf.DType, shape tf.Shape) (*tf.Array, error) {
	index := bundle.IndexFile(r.Prefix())
	e, ok := r.Entry(name)
	if !ok {
		return nil, errors.Errorf("Key %s not found in checkpoint %s", name, index)
	}
	got := dtypeOf(e.DType)
	if got == tf.Invalid {
		return nil, errors.Errorf("%s: tensor %q has dtype %s, which gorgoflow cannot load", index, name, e.DType)
	}
	if dtype != tf.Invalid && got != dtype {
		return nil, errors.Errorf("%s: tensor %q has dtype %s in the checkpoint; the variable has dtype %s", index, name, got, dtype)
	}
	dims := make([]int, len(e.Shape))
	for i, d := range e.Shape {
		if d < 0 {
			return nil, errors.Errorf("%s: tensor %q has a negative dimension in shape %v", index, name, e.Shape)
		}
		dims[i] = int(d)
	}
	if shape != nil && !tf.Shape(dims).Equal(shape) {
		return nil, errors.Errorf("%s: tensor %q has shape %v in the checkpoint; the variable has shape %v", index, name, tf.Shape(dims), shape)
	}
	n := bundle.Elements(e.Shape)
	if want := n * int64(e.DType.Size()); e.Size != want {
		return nil, errors.Errorf("%s: tensor %q: the index gives %d bytes for %d elements of %s (%d expected)", index, name, e.Size, n, got, want)
	}
	b, err := r.ReadData(e)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	var back any
	switch got {
	case tf.Float32:
		xs := make([]float32, n)
		for i := range xs {
			xs[i] = math.Float32frombits(le.Uint32(b[4*i:]))
		}
		back = xs
	case tf.Float64:
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = math.Float64frombits(le.Uint64(b[8*i:]))
		}
		back = xs
	case tf.Int32:
		xs := make([]int32, n)
		for i := range xs {
			xs[i] = int32(le.Uint32(b[4*i:]))
		}
		back = xs
	case tf.Int64:
		xs := make([]int64, n)
		for i := range xs {
			xs[i] = int64(le.Uint64(b[8*i:]))
		}
		back = xs
	case tf.Bool:
		xs := make([]bool, n)
		for i := range xs {
			xs[i] = b[i] != 0
		}
		back = xs
	}
	var d *tensor.Dense
	if len(dims) == 0 {
		d = tensor.New(tensor.WithShape(), tensor.WithBacking(back))
	} else {
		d = tensor.New(tensor.WithShape(dims...), tensor.WithBacking(back))
	}
	return tf.NewArray(d), nil
}
