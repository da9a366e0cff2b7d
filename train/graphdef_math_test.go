package train_test

import (
	"os/exec"
	"testing"

	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

// TestMathOpsGraphDefAgainstTFOpDefs exports a graph of tf's math ops and
// their gradients (reduce_max's and reduce_prod's in TF's form: Equal,
// Cast, Sum; Transpose, Cumprod) and checks every node against TF's
// OpDefs.
func TestMathOpsGraphDefAgainstTFOpDefs(t *testing.T) {
	g := tf.NewGraph()
	restore := g.AsDefault()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3}, tf.Name("x"))
	y := tf.Placeholder(tf.Float32, tf.Shape{3}, tf.Name("y"))
	var terms []any
	for _, f := range []func(any, ...tf.Option) *tf.Tensor{tf.Round, tf.Ceil, tf.Rsqrt, tf.Reciprocal, tf.Sin, tf.Cos, tf.Tan,
		tf.Atan, tf.Sinh, tf.Cosh, tf.Expm1, tf.Erf, tf.Erfc} {
		terms = append(terms, f(x))
	}
	for _, f := range []func(any, any, ...tf.Option) *tf.Tensor{tf.Atan2, tf.SquaredDifference, tf.FloorDiv, tf.FloorMod, tf.Truediv} {
		terms = append(terms, f(x, y))
	}
	b := tf.LogicalXor(tf.IsNan(x), tf.LogicalNot(tf.IsInf(y)))
	b = tf.LogicalAnd(b, tf.IsFinite(x))
	terms = append(terms, tf.Where(b, x, tf.ZerosLike(x)))
	terms = append(terms, tf.ReduceProd(x, tf.Axis(1), tf.KeepDims(true)), tf.ReduceProd(x, tf.Axis(0)),
		tf.ReduceMax(x, tf.Axis(1), tf.KeepDims(true)), tf.ReduceMin(x),
		tf.ReduceLogSumExp(x, tf.Axis(1), tf.KeepDims(true)), tf.ReduceStd(x, tf.Axis(0)), tf.ReduceVariance(x))
	loss := tf.ReduceSum(tf.AddN(func() []any {
		var out []any
		for _, v := range terms {
			out = append(out, tf.ReduceSum(v))
		}
		return out
	}()...))
	if _, err := tf.Gradients([]*tf.Tensor{loss}, []any{x, y}); err != nil {
		t.Fatal(err)
	}
	i := tf.Placeholder(tf.Int32, tf.Shape{3}, tf.Name("i"))
	tf.CountNonzero(tf.TruncateDiv(i, 2))
	tf.TruncateMod(i, 3)
	tf.ReduceAll(tf.ReduceAny(tf.Equal(i, 0), tf.Axis(0), tf.KeepDims(true)))
	restore()
	if err := g.Err(); err != nil {
		t.Fatal(err)
	}
	gd, err := g.AsGraphDef()
	if err != nil {
		t.Fatal(err)
	}
	problems, types := checkGraphDef(t, tfOpDefs(t), gd.Marshal())
	for _, p := range problems {
		t.Error(p)
	}
	for _, op := range []string{"Round", "Ceil", "Rsqrt", "Reciprocal", "Sin", "Cos", "Tan", "Atan", "Sinh", "Cosh",
		"Expm1", "Erf", "Erfc", "Atan2", "SquaredDifference", "FloorDiv", "FloorMod", "TruncateDiv", "TruncateMod",
		"LogicalAnd", "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite", "Prod", "All", "Any", "StopGradient",
		"Cumprod", "Equal", "NotEqual"} {
		if types[op] == 0 {
			t.Errorf("no %s node", op)
		}
	}
	for op := range types {
		switch op {
		case "ReduceGrad", "ProdGrad":
			t.Errorf("gorgoflow's own %s in the GraphDef", op)
		}
	}
}

// TestMathOpsRunInTensorFlowJS runs the math ops, their gradients
// (reduce_max's with a tie, reduce_prod's with a zero) and the integer
// divisions exported as a GraphDef in TensorFlow.js, and compares with
// gorgoflow's values.
func TestMathOpsRunInTensorFlowJS(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not installed (apt-get install nodejs; .ci/run installs it)")
	}
	m := &tfjsModel{g: tf.NewGraph(), feeds: session.Feed{}}
	defer m.g.AsDefault()()
	x := tf.Placeholder(tf.Float32, tf.Shape{tf.None, 3}, tf.Name("x"))
	y := tf.Placeholder(tf.Float32, tf.Shape{3}, tf.Name("y"))
	i := tf.Placeholder(tf.Int32, tf.Shape{4}, tf.Name("i"))
	j := tf.Placeholder(tf.Int32, tf.Shape{4}, tf.Name("j"))
	m.feeds[x] = [][]float32{{0.3, -1.2, 0.7}, {1.4, 1.4, -0.6}, {-0.9, 0, 2.1}, {0.55, -0.25, 1.15}}
	m.feeds[y] = []float32{0.7, -1.3, 2.2}
	m.feeds[i] = []int32{7, -7, 9, -9}
	m.feeds[j] = []int32{2, 2, -4, -4}
	pos := tf.Add(tf.Square(x), 0.5)
	terms := []*tf.Tensor{
		tf.Round(tf.Mul(x, 2.0)), tf.Ceil(x), tf.Rsqrt(pos), tf.Reciprocal(pos), tf.Sin(x), tf.Cos(x), tf.Tan(x),
		tf.Atan(x), tf.Sinh(x), tf.Cosh(x), tf.Expm1(x), tf.Erf(x), tf.Erfc(x),
		tf.Atan2(x, y), tf.SquaredDifference(x, y), tf.FloorDiv(x, y), tf.FloorMod(x, y), tf.Truediv(x, y),
		tf.DivNoNan(x, tf.Mul(y, tf.Constant([]float32{1, 0, 1}, tf.Float32))),
		tf.ReduceProd(x, tf.Axis(1), tf.KeepDims(true)), tf.ReduceProd(x, tf.Axis(0)),
		tf.ReduceMax(x, tf.Axis(1), tf.KeepDims(true)), tf.ReduceMin(x), tf.ReduceMax(x, tf.Axis(0)),
		tf.ReduceLogSumExp(x, tf.Axis(1)), tf.ReduceStd(x, tf.Axis(0)), tf.ReduceVariance(x),
		tf.Where(tf.LogicalXor(tf.IsNan(x), tf.LogicalNot(tf.IsInf(y))), x, tf.ZerosLike(x)),
	}
	var sums []any
	for k, v := range terms {
		sums = append(sums, tf.ReduceSum(tf.Mul(v, float64(k+1)*0.125)))
	}
	loss := tf.AddN(sums...)
	grads, err := tf.Gradients([]*tf.Tensor{loss}, []any{x, y})
	if err != nil {
		t.Fatal(err)
	}
	m.fetches = append(append(terms, loss), grads...)
	m.fetches = append(m.fetches, tf.FloorDiv(i, j), tf.FloorMod(i, j), tf.TruncateDiv(i, j), tf.TruncateMod(i, j),
		tf.CountNonzero(tf.Sub(i, 7), tf.WithDType(tf.Int32)),
		tf.Cast(tf.ReduceAll(tf.ReduceAny(tf.Equal(tf.Reshape(i, []int{2, 2}), -7), tf.Axis(0), tf.KeepDims(true))), tf.Int32),
		tf.Cast(tf.IsFinite(x), tf.Int32))
	if err := m.g.Err(); err != nil {
		t.Fatal(err)
	}
	compareWithTFJS(t, node, m)
}
