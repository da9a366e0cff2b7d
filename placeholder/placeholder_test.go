package placeholder_test

import (
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func newGraph(t *testing.T) *tf.Graph {
	t.Helper()
	g := tf.NewGraph()
	t.Cleanup(g.AsDefault())
	return g
}

// TestNew checks names, dtypes and static shapes as TF makes them.
func TestNew(t *testing.T) {
	g := newGraph(t)
	tests := []struct {
		dtype  tf.DType
		shape  tf.Shape
		opts   []placeholder.Option
		scope  string
		name   string
		str    string
		rankOK bool
	}{
		{tf.Float32, tf.Shape{tf.None, 3}, []placeholder.Option{placeholder.Name("X")}, "", "X:0", `Tensor("X:0", shape=(?, 3), dtype=float32)`, true},
		{tf.Float32, tf.Shape{tf.None, 3}, []placeholder.Option{placeholder.Name("X")}, "", "X_1:0", `Tensor("X_1:0", shape=(?, 3), dtype=float32)`, true},
		{tf.Int32, tf.Shape{tf.None}, nil, "", "Placeholder:0", `Tensor("Placeholder:0", shape=(?,), dtype=int32)`, true},
		{tf.Float64, tf.Shape{}, nil, "", "Placeholder_1:0", `Tensor("Placeholder_1:0", shape=(), dtype=float64)`, true},
		{tf.Int64, tf.Shape{2, tf.None, 4}, []placeholder.Option{placeholder.Name("seq")}, "rnn", "rnn/seq:0", `Tensor("rnn/seq:0", shape=(2, ?, 4), dtype=int64)`, true},
		{tf.Bool, tf.Shape{0}, []placeholder.Option{placeholder.Name("empty")}, "", "empty:0", `Tensor("empty:0", shape=(0,), dtype=bool)`, true},
		{tf.Float32, nil, []placeholder.Option{placeholder.Name("any")}, "", "any:0", "", false},
	}
	for _, tt := range tests {
		restore := func() {}
		if tt.scope != "" {
			restore = tf.NameScope(tt.scope)
		}
		p := placeholder.New(tt.dtype, tt.shape, tt.opts...)
		restore()
		if p.Err() != nil {
			t.Fatalf("%s: %v", tt.name, p.Err())
		}
		if p.Name() != tt.name {
			t.Errorf("name %q, want %q", p.Name(), tt.name)
		}
		if p.Graph() != g {
			t.Errorf("%s: not in the default graph", tt.name)
		}
		if p.DType() != tt.dtype {
			t.Errorf("%s: dtype %s, want %s", tt.name, p.DType(), tt.dtype)
		}
		if p.Op().Type() != "Placeholder" || !tfimpl.IsPlaceholder(p) {
			t.Errorf("%s: op type %q, want Placeholder", tt.name, p.Op().Type())
		}
		if tt.rankOK {
			if !p.Shape().Equal(tt.shape) || p.Shape() == nil {
				t.Errorf("%s: shape %v, want %v", tt.name, p.Shape(), tt.shape)
			}
			if p.String() != tt.str {
				t.Errorf("%s prints as %s, want %s", tt.name, p.String(), tt.str)
			}
		} else if p.Shape() != nil {
			t.Errorf("%s: shape %v, want unknown rank (nil)", tt.name, p.Shape())
		}
	}
	// The shape is the placeholder's own: changing the caller's slice
	// afterwards changes nothing.
	sh := tf.Shape{tf.None, 5}
	p := placeholder.New(tf.Float32, sh)
	sh[1] = 6
	if p.Shape()[1] != 5 {
		t.Errorf("placeholder shape changed with the caller's slice: %v", p.Shape())
	}
}

// TestNewErrors checks that a bad dtype or shape gives an error tensor
// naming what was given, without a panic.
func TestNewErrors(t *testing.T) {
	g := newGraph(t)
	tests := []struct {
		name  string
		dtype tf.DType
		shape tf.Shape
		want  []string
	}{
		{"invalid dtype", tf.Invalid, tf.Shape{2}, []string{"dtype", "not one of float32"}},
		{"negative dimension", tf.Float32, tf.Shape{3, -2}, []string{"[3 -2]", "negative dimension", "tf.None"}},
	}
	for _, tt := range tests {
		p := placeholder.New(tt.dtype, tt.shape, placeholder.Name("bad"))
		if p == nil {
			t.Fatalf("%s: New returned nil", tt.name)
		}
		err := p.Err()
		if err == nil {
			t.Fatalf("%s: no error", tt.name)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error %q does not contain %q", tt.name, err, w)
			}
		}
		if !strings.Contains(err.Error(), "placeholder_test.go:") {
			t.Errorf("%s: error %q does not name the caller's file", tt.name, err)
		}
		// Ops built on it carry the error; running it returns it.
		y := tf.Add(p, 1.0)
		if y.Err() == nil || !strings.Contains(y.Err().Error(), tt.want[0]) {
			t.Errorf("%s: op on the failed placeholder has error %v", tt.name, y.Err())
		}
		if _, err := session.New(session.WithGraph(g)).Run(y, nil); err == nil {
			t.Errorf("%s: running it succeeded", tt.name)
		}
	}
}

// TestFeedShapes checks which feeds a placeholder's shape admits, unknown
// rank (nil) admitting every rank.
func TestFeedShapes(t *testing.T) {
	newGraph(t)
	tests := []struct {
		shape tf.Shape
		value any
		ok    bool
	}{
		{tf.Shape{tf.None, 3}, [][]float32{{1, 2, 3}}, true},
		{tf.Shape{tf.None, 3}, make([][]float32, 10000), false}, // rows of length 0
		{tf.Shape{tf.None, 3}, [][]float32{{1, 2}}, false},
		{tf.Shape{tf.None, 3}, []float32{1, 2, 3}, false},
		{tf.Shape{tf.None, tf.None}, [][]float32{{1}, {2}}, true},
		{tf.Shape{2, tf.None}, [][]float32{{1}, {2}}, true},
		{tf.Shape{2, tf.None}, [][]float32{{1}}, false},
		{tf.Shape{}, float32(1), true},
		{tf.Shape{}, []float32{1}, false},
		{nil, float32(1), true},
		{nil, []float32{1, 2}, true},
		{nil, [][][]float32{{{1}}}, true},
	}
	s := session.New()
	for _, tt := range tests {
		p := placeholder.New(tf.Float32, tt.shape, placeholder.Name("p"))
		_, err := s.Run(tf.Identity(p), session.Feed{p: tt.value})
		if (err == nil) != tt.ok {
			t.Errorf("shape %v fed %T: error %v, want ok=%v", tt.shape, tt.value, err, tt.ok)
		}
		if err != nil && !strings.Contains(err.Error(), "Cannot feed value of shape") {
			t.Errorf("shape %v: error %q is not TF's", tt.shape, err)
		}
	}
}
