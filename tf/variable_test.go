package tf_test

import (
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func TestVariableNamesAndScopes(t *testing.T) {
	newGraph(t)
	v0 := tf.NewVariable([]float32{1, 2})
	v1 := tf.NewVariable(3.0)
	if v0.Name() != "Variable" || v1.Name() != "Variable_1" {
		t.Errorf("names %q %q, want Variable, Variable_1", v0.Name(), v1.Name())
	}
	if n := v0.Initializer().Name(); n != "Variable/Assign" {
		t.Errorf("initializer name %q, want Variable/Assign", n)
	}
	if s := v0.String(); s != "<tf.Variable 'Variable:0' shape=(2,) dtype=float32>" {
		t.Errorf("String %q", s)
	}
	closeA := tf.NameScope("a")
	closeB := tf.NameScope("b")
	op := tf.Add(v0, v0, tf.Name("op"))
	w := tf.NewVariable(1.0, tf.Name("w"))
	closeB()
	op2 := tf.Add(v0, v0)
	closeA()
	closeA2 := tf.NameScope("a")
	op3 := tf.Identity(v0)
	closeA2()
	if op.Op().Name() != "a/b/op" || w.Name() != "a/b/w" || op2.Op().Name() != "a/Add" || op3.Op().Name() != "a_1/Identity" {
		t.Errorf("scoped names %q %q %q %q, want a/b/op a/b/w a/Add a_1/Identity", op.Op().Name(), w.Name(), op2.Op().Name(), op3.Op().Name())
	}
	if n := tf.Add(v0, v0).Op().Name(); n != "Add" {
		t.Errorf("after closing scopes: %q", n)
	}
	if n := tf.Add(v0, v0).Op().Name(); n != "Add_1" {
		t.Errorf("second Add: %q", n)
	}
	if len(tf.GlobalVariables()) != 3 || len(tf.TrainableVariables()) != 3 {
		t.Errorf("%d variables, %d trainable", len(tf.GlobalVariables()), len(tf.TrainableVariables()))
	}
	nt := tf.NewVariable(0, tf.Trainable(false))
	if nt.IsTrainable() || len(tf.TrainableVariables()) != 3 || len(tf.GlobalVariables()) != 4 {
		t.Error("Trainable(false) variable is listed as trainable")
	}
	if nt.DType() != tf.Int32 {
		t.Errorf("int variable dtype %s", nt.DType())
	}
}

func TestGetVariableReuse(t *testing.T) {
	newGraph(t)
	closeS := tf.VariableScope("rnn", tf.ReuseInherit)
	w := tf.GetVariable("w", tf.Shape{2, 3})
	if w.Err() != nil || w.Name() != "rnn/w" || w.DType() != tf.Float32 {
		t.Fatalf("GetVariable: %v %q", w.Err(), w.Name())
	}
	dup := tf.GetVariable("w", tf.Shape{2, 3})
	wantErr(t, "duplicate", dup.Err(), "Variable rnn/w already exists, disallowed", "variable_test.go:")
	closeS()

	closeS = tf.VariableScope("rnn", tf.Reuse)
	if r := tf.GetVariable("w", tf.Shape{2, 3}); r != w {
		t.Errorf("reuse returned %v, want the same variable", r)
	}
	if r := tf.GetVariable("w", nil); r != w {
		t.Errorf("reuse without shape returned %v", r)
	}
	wantErr(t, "missing under reuse", tf.GetVariable("b", tf.Shape{3}).Err(), "Variable rnn/b does not exist")
	wantErr(t, "shape", tf.GetVariable("w", tf.Shape{3, 2}).Err(), "rnn/w", "[3,2]", "[2,3]")
	wantErr(t, "dtype", tf.GetVariable("w", tf.Shape{2, 3}, tf.WithDType(tf.Float64)).Err(), "rnn/w", "float64", "float32")
	// Reuse is inherited by inner scopes, even when they ask NoReuse.
	inner := tf.VariableScope("cell", tf.NoReuse)
	wantErr(t, "inherited reuse", tf.GetVariable("k", tf.Shape{1}).Err(), "rnn/cell/k does not exist")
	inner()
	closeS()

	closeS = tf.VariableScope("rnn", tf.AutoReuse)
	if r := tf.GetVariable("w", tf.Shape{2, 3}); r != w {
		t.Error("AutoReuse did not return the existing variable")
	}
	b := tf.GetVariable("b", tf.Shape{3}, tf.WithInitializer(tf.ZerosInitializer()))
	if b.Err() != nil || b.Name() != "rnn/b" {
		t.Errorf("AutoReuse create: %v %q", b.Err(), b.Name())
	}
	if tf.CurrentVariableScope() != "rnn" {
		t.Errorf("current scope %q", tf.CurrentVariableScope())
	}
	closeS()
	if tf.CurrentVariableScope() != "" {
		t.Errorf("after close: scope %q", tf.CurrentVariableScope())
	}
	wantErr(t, "None shape", tf.GetVariable("z", tf.Shape{tf.None}).Err(), "fully known")
	wantErr(t, "option", tf.GetVariable("z", tf.Shape{1}, tf.Seed(1)).Err(), "seed")
	iv := tf.GetVariable("count", tf.Shape{2}, tf.WithDType(tf.Int32))
	if iv.Err() != nil || iv.DType() != tf.Int32 {
		t.Errorf("int variable: %v", iv.Err())
	}
}

func TestVariableLifecycle(t *testing.T) {
	g := newGraph(t)
	v := tf.NewVariable([][]float64{{1, 2}, {3, 4}}, tf.Name("v"))
	c := tf.GetVariable("c", tf.Shape{2}, tf.WithInitializer(tf.ConstantInitializer(0.5)), tf.WithDType(tf.Float64))
	sum := tf.Add(v, c)
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	_, err := sess.Run(sum, nil)
	wantErr(t, "before init", err, "uninitialized", "v")
	if _, err := sess.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Fatal(err)
	}
	out, err := sess.Run(sum, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "v + c", out[0].Float64s(), []float64{1.5, 2.5, 3.5, 4.5})

	as := tf.Assign(v, tf.Mul(v, 2))
	out, err = sess.Run(as, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "assign result", out[0].Float64s(), []float64{2, 4, 6, 8})
	out, _ = sess.Run(as, nil)
	checkClose(t, "assign twice", out[0].Float64s(), []float64{4, 8, 12, 16})
	val, err := sess.Eval(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "v after assigns", val.Float64s(), []float64{4, 8, 12, 16})

	if err := v.Load([][]float64{{0, 1}, {2, 3}}, sess); err != nil {
		t.Fatal(err)
	}
	val, _ = sess.Eval(v, nil)
	checkClose(t, "loaded", val.Float64s(), []float64{0, 1, 2, 3})
	wantErr(t, "load shape", v.Load([]float64{1, 2}, sess), "shape", "[2]", "[2,2]")
	wantErr(t, "load dtype", v.Load([][]bool{{true, true}, {true, true}}, sess), "v")
	wantErr(t, "assign shape", tf.Assign(v, []float64{1, 2, 3}).Err(), "Assign", "[3]", "[2,2]", "variable_test.go:")
	wantErr(t, "assign dtype", tf.Assign(v, tf.Constant([][]float32{{1, 2}, {3, 4}}, tf.Float32)).Err(), "float32", "float64")

	// Another session has its own, uninitialized, values.
	other := session.New(session.WithGraph(g))
	defer other.Close()
	_, err = other.Run(v, nil)
	wantErr(t, "other session", err, "uninitialized")

	// Initializer of one variable only.
	if _, err := other.Run(c.Initializer(), nil); err != nil {
		t.Fatal(err)
	}
	val, err = other.Eval(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "c", val.Float64s(), []float64{0.5, 0.5})
	wantErr(t, "bad initial", tf.NewVariable([][]float64{{1}, {2, 3}}).Err(), "Variable", "ragged", "variable_test.go:")
	wantErr(t, "None initial", tf.NewVariable(tf.Placeholder(tf.Float32, tf.Shape{tf.None})).Err(), "fully known")
}

// Variables are differentiable inputs: tf.Gradients with respect to them.
func TestVariableGradient(t *testing.T) {
	g := newGraph(t)
	w := tf.NewVariable([]float64{1, -2, 3})
	y := tf.ReduceSum(tf.Square(w))
	gr, err := tf.Gradients([]*tf.Tensor{y}, []any{w})
	if err != nil {
		t.Fatal(err)
	}
	sess := session.New(session.WithGraph(g))
	defer sess.Close()
	if _, err := sess.Run(tf.GlobalVariablesInitializer(), nil); err != nil {
		t.Fatal(err)
	}
	out, err := sess.Run(gr, nil)
	if err != nil {
		t.Fatal(err)
	}
	checkClose(t, "d sum(w²)/dw", out[0].Float64s(), []float64{2, -4, 6})
}

// TestUniqueVariableScope: TF's default scope names (variable_scope(None,
// default_name=...)): a name opened in a scope gets _1, _2 after it;
// re-entering the enclosing scope restarts them.
func TestUniqueVariableScope(t *testing.T) {
	g := tf.NewGraph()
	defer g.AsDefault()()
	var got []string
	open := func() {
		n := tf.UniqueVariableScope("dense")
		got = append(got, n)
		tf.VariableScope(n, tf.ReuseInherit)()
	}
	closeRNN := tf.VariableScope("rnn", tf.ReuseInherit)
	open()
	open()
	closeRNN()
	open()
	closeRNN = tf.VariableScope("rnn", tf.Reuse)
	open()
	closeRNN()
	if want := "dense dense_1 dense dense"; strings.Join(got, " ") != want {
		t.Errorf("names %v, want %s", got, want)
	}
}
