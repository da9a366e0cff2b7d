package callsite_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	cseq2seq "github.com/gorgoflow/gorgoflow/contrib/seq2seq"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/losses"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/seq2seq"
	"github.com/gorgoflow/gorgoflow/summary"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// firstErr returns the first error among xs: errors, and the error of
// anything with an Err method (tensors, operations, variables, cells,
// optimizers' results), looking into slices of tensors.
func firstErr(xs ...any) error {
	for _, x := range xs {
		switch v := x.(type) {
		case error:
			if v != nil {
				return v
			}
		case []*tf.Tensor:
			for _, t := range v {
				if t != nil && t.Err() != nil {
					return t.Err()
				}
			}
		case [][]*tf.Tensor:
			for _, ts := range v {
				if err := firstErr(ts); err != nil {
					return err
				}
			}
		case interface{ Err() error }:
			if v != nil && v.Err() != nil {
				return v.Err()
			}
		}
	}
	return nil
}

// e2 and e3 are firstErr of a call's two or three results.
func e2(a, b any) error { return firstErr(a, b) }

func e3(a, b, c any) error { return firstErr(a, b, c) }

// callCell returns the error of a cell made with bad arguments: a wrapper
// reports it, with the line it was made on, when it is first called.
func callCell(c rnn.Cell) error {
	if err := firstErr(c); err != nil {
		return err
	}
	return e2(c.Call(ph(2, 3), rnn.ZeroState(c, 2, tf.Float32)))
}

func ph(dims ...int) *tf.Tensor { return tf.Placeholder(tf.Float32, tf.Shape(dims)) }

func phi(dims ...int) *tf.Tensor { return tf.Placeholder(tf.Int32, tf.Shape(dims)) }

// siteRE matches a file:line in an error text.
var siteRE = regexp.MustCompile(`[\w.-]+\.go:\d+`)

// TestConstructorSites calls constructors of every package with bad
// arguments and checks that each error names the line of the call in this
// file, and no other site: the brief's rule that a constructor's error
// names the user's file:line. Each case returns the call's result and
// here() on the line of the call.
func TestConstructorSites(t *testing.T) {
	tests := []struct {
		name string
		call func() (error, string)
	}{
		// tf
		{"tf.Add", func() (error, string) {
			return firstErr(tf.Add(ph(2, 3), tf.Placeholder(tf.Float64, tf.Shape{2, 3}))), here()
		}},
		{"tf.MatMul", func() (error, string) { return firstErr(tf.MatMul(ph(2, 3), ph(4, 5))), here() }},
		{"tf.MatMul adjoint", func() (error, string) {
			return firstErr(tf.MatMul(ph(2, 3), ph(3, 2), tf.TransposeA(true), tf.AdjointA(true))), here()
		}},
		{"tf.Reshape", func() (error, string) { return firstErr(tf.Reshape(ph(2, 3), []int{7})), here() }},
		{"tf.Concat", func() (error, string) { return firstErr(tf.Concat([]any{ph(2, 3), ph(4, 5)}, 0)), here() }},
		{"tf.Cast", func() (error, string) { return firstErr(tf.Cast(ph(2), tf.DType(99))), here() }},
		{"tf.AddN", func() (error, string) { return firstErr(tf.AddN([]any{})), here() }},
		{"tf.ReduceSum", func() (error, string) { return firstErr(tf.ReduceSum(ph(2, 3), tf.Axis(5))), here() }},
		{"tf.ReduceStd", func() (error, string) { return firstErr(tf.ReduceStd(phi(2, 3))), here() }},
		{"tf.ReduceVariance", func() (error, string) { return firstErr(tf.ReduceVariance(phi(2, 3))), here() }},
		{"tf.ReduceLogSumExp", func() (error, string) { return firstErr(tf.ReduceLogSumExp(ph(2, 3), tf.Axis(4))), here() }},
		{"tf.CountNonzero", func() (error, string) { return firstErr(tf.CountNonzero(ph(2, 3), tf.Axis(4))), here() }},
		{"tf.GetVariable", func() (error, string) { return firstErr(tf.GetVariable("v", tf.Shape{tf.None})), here() }},
		{"tf.NewVariable", func() (error, string) { return firstErr(tf.NewVariable(ph(tf.None, 3))), here() }},
		{"tf.Assign", func() (error, string) {
			v := tf.NewVariable([]float32{1, 2})
			return firstErr(tf.Assign(v, []float32{1, 2, 3})), here()
		}},
		{"tf.Fill", func() (error, string) { return firstErr(tf.Fill(tf.Shape{tf.None}, 1, tf.Float32)), here() }},
		{"tf.OneHot", func() (error, string) { return firstErr(tf.OneHot(ph(3), 4)), here() }},
		{"tf.Cumsum", func() (error, string) { return firstErr(tf.Cumsum(ph(2, 3), tf.Axis(0, 1))), here() }},
		{"tf.Transpose", func() (error, string) { return firstErr(tf.Transpose(ph(2, 3), []int{0, 0})), here() }},
		{"tf.Squeeze", func() (error, string) { return firstErr(tf.Squeeze(ph(2, 3), tf.Axis(0))), here() }},
		{"tf.Gather", func() (error, string) { return firstErr(tf.Gather(ph(4, 3), ph(2))), here() }},
		{"tf.GatherNd", func() (error, string) { return firstErr(tf.GatherNd(ph(4, 3), ph(2, 1))), here() }},
		{"tf.Slice", func() (error, string) { return firstErr(tf.Slice(ph(2, 3), []int{0}, []int{1, 1})), here() }},
		{"tf.Split", func() (error, string) { return firstErr(tf.Split(ph(2, 3), 2, 1)), here() }},
		{"tf.Stack", func() (error, string) { return firstErr(tf.Stack([]any{ph(2, 3), ph(2, 4)}, 0)), here() }},
		{"tf.Unstack", func() (error, string) { return firstErr(tf.Unstack(ph(2, 3), 4)), here() }},
		{"tf.Tile", func() (error, string) { return firstErr(tf.Tile(ph(2, 3), []int32{1, 2, 3})), here() }},
		{"tf.Pad", func() (error, string) { return firstErr(tf.Pad(ph(2, 3), [][]int32{{1, 1}})), here() }},
		{"tf.Where", func() (error, string) {
			return firstErr(tf.Where(tf.Placeholder(tf.Bool, tf.Shape{2}), ph(2), ph(3))), here()
		}},
		{"tf.SequenceMask", func() (error, string) { return firstErr(tf.SequenceMask(ph(3))), here() }},
		{"tf.BooleanMask", func() (error, string) { return firstErr(tf.BooleanMask(ph(2, 3), ph(2))), here() }},
		{"tf.Constant", func() (error, string) { return firstErr(tf.Constant(struct{}{}, tf.Invalid)), here() }},
		{"tf.RandomNormal", func() (error, string) { return firstErr(tf.RandomNormal([]int{2, -3}, tf.Float32)), here() }},
		{"tf.Eye", func() (error, string) { return firstErr(tf.Eye(-1)), here() }},
		{"tf.ArgMax", func() (error, string) { return firstErr(tf.ArgMax(ph(2, 3), 5)), here() }},
		{"tf.Truediv", func() (error, string) { return firstErr(tf.Truediv(phi(2), ph(2))), here() }},
		{"tf.NewIndexedSlices", func() (error, string) {
			return firstErr(tf.NewIndexedSlices(ph(2, 3), phi(2), tf.Shape{tf.None, 3})), here()
		}},
		{"tf.StridedSlice", func() (error, string) {
			return firstErr(tf.StridedSlice(ph(2, 3), []int{0}, []int{1, 1}, []int{1, 1})), here()
		}},
		{"tf.ScatterNd", func() (error, string) { return firstErr(tf.ScatterNd(ph(2, 1), ph(2), []int32{4})), here() }},
		{"tf.Linspace", func() (error, string) { return firstErr(tf.Linspace(0.0, 1.0, -2)), here() }},
		{"tf.Range", func() (error, string) { return firstErr(tf.Range(0, tf.Limit(5), tf.Delta(0))), here() }},
		{"tf.Sqrt", func() (error, string) { return firstErr(tf.Sqrt(nil)), here() }},
		{"tf.ExpandDims", func() (error, string) { return firstErr(tf.ExpandDims(ph(2, 3), 7)), here() }},
		{"tf.BroadcastTo", func() (error, string) { return firstErr(tf.BroadcastTo(ph(2, 3), []int32{4, 3})), here() }},
		{"tf.ClipByValue", func() (error, string) { return firstErr(tf.ClipByValue(ph(2, 3), ph(2), ph(4))), here() }},
		{"tf.ReverseSequence", func() (error, string) { return firstErr(tf.ReverseSequence(ph(2, 3), ph(2), 1)), here() }},
		{"tf.PlaceholderWithDefault", func() (error, string) {
			return firstErr(tf.PlaceholderWithDefault([]float32{1, 2}, tf.Shape{3})), here()
		}},
		{"tf.ClipByGlobalNorm", func() (error, string) { return e2(tf.ClipByGlobalNorm([]*tf.Tensor{phi(2)}, 1)), here() }},
		{"tf.Group", func() (error, string) { return firstErr(tf.Group([]*tf.Operation{nil})), here() }},
		{"tf.Gradients", func() (error, string) { return e2(tf.Gradients(nil, []any{ph(2)})), here() }},

		{"tf.Add nil", func() (error, string) { return firstErr(tf.Add((*tf.Tensor)(nil), 1.0)), here() }},
		{"tf.Add graphs", func() (error, string) {
			other := tf.NewGraph()
			restore := other.AsDefault()
			a := ph(2)
			restore()
			return firstErr(tf.Add(a, ph(2))), here()
		}},
		{"tf.OneHot nil", func() (error, string) { return firstErr(tf.OneHot((*tf.Tensor)(nil), 3)), here() }},
		{"tf.SequenceMask nil", func() (error, string) { return firstErr(tf.SequenceMask((*tf.Tensor)(nil))), here() }},
		{"tf.Tile nil", func() (error, string) { return firstErr(tf.Tile((*tf.Tensor)(nil), []int32{2})), here() }},
		{"tf.ScatterNd nil", func() (error, string) { return firstErr(tf.ScatterNd((*tf.Tensor)(nil), ph(2), []int32{4})), here() }},
		{"tf.Range nil", func() (error, string) { return firstErr(tf.Range((*tf.Tensor)(nil))), here() }},
		{"tf.ZerosLike nil", func() (error, string) { return firstErr(tf.ZerosLike((*tf.Tensor)(nil))), here() }},
		{"tf.Variable nil", func() (error, string) { return firstErr(tf.Add((*tf.Variable)(nil), 1.0)), here() }},

		// nn
		{"nn.Softmax", func() (error, string) { return firstErr(nn.Softmax(phi(2, 3))), here() }},
		{"nn.Relu", func() (error, string) { return firstErr(nn.Relu(nil)), here() }},
		{"nn.LeakyRelu", func() (error, string) { return firstErr(nn.LeakyRelu(tf.Placeholder(tf.Bool, tf.Shape{2}))), here() }},
		{"nn.Dropout", func() (error, string) { return firstErr(nn.Dropout(ph(2, 3), 1.5)), here() }},
		{"nn.BiasAdd", func() (error, string) { return firstErr(nn.BiasAdd(ph(2, 3), ph(4))), here() }},
		{"nn.SoftmaxCrossEntropyWithLogits", func() (error, string) {
			return firstErr(nn.SoftmaxCrossEntropyWithLogits(ph(2, 3), ph(2, 4))), here()
		}},
		{"nn.SparseSoftmaxCrossEntropyWithLogits", func() (error, string) {
			return firstErr(nn.SparseSoftmaxCrossEntropyWithLogits(ph(2), ph(2, 4))), here()
		}},
		{"nn.SigmoidCrossEntropyWithLogits", func() (error, string) {
			return firstErr(nn.SigmoidCrossEntropyWithLogits(ph(2, 3), ph(2, 4))), here()
		}},
		{"nn.WeightedCrossEntropyWithLogits", func() (error, string) {
			return firstErr(nn.WeightedCrossEntropyWithLogits(ph(2, 3), ph(2, 4), 2.0)), here()
		}},
		{"nn.L2Loss", func() (error, string) { return firstErr(nn.L2Loss(phi(2))), here() }},
		{"nn.L2Normalize", func() (error, string) { return firstErr(nn.L2Normalize(phi(2))), here() }},
		{"nn.Moments", func() (error, string) {
			return e2(nn.Moments(ph(2, 3), []int{5})), here()
		}},
		{"nn.TopK", func() (error, string) {
			return e2(nn.TopK(ph(2, 3), -1)), here()
		}},
		{"nn.InTopK", func() (error, string) { return firstErr(nn.InTopK(ph(2, 3), ph(2), 1)), here() }},
		{"nn.EmbeddingLookup", func() (error, string) { return firstErr(nn.EmbeddingLookup([]any{}, phi(2))), here() }},
		{"nn.Crelu", func() (error, string) { return firstErr(nn.Crelu(ph(2, 3), tf.Axis(0, 1))), here() }},
		{"nn.BatchNormalization", func() (error, string) {
			return firstErr(nn.BatchNormalization(ph(2, 3), ph(4), ph(4), nil, nil, 1e-3)), here()
		}},
		{"nn.LogPoissonLoss", func() (error, string) { return firstErr(nn.LogPoissonLoss(ph(2, 3), ph(2, 4))), here() }},
		{"nn.MeanSquaredError", func() (error, string) { return firstErr(nn.MeanSquaredError(ph(2, 3), ph(2, 4))), here() }},
		{"nn.DynamicRNN", func() (error, string) {
			return e2(nn.DynamicRNN(rnn.NewBasicRNNCell(3), ph(2, 3), rnn.DType(tf.Float32))), here()
		}},
		{"nn.DynamicRNN bad cell", func() (error, string) {
			return e2(nn.DynamicRNN(rnn.NewBasicRNNCell(0), ph(2, 4, 3), rnn.DType(tf.Float32))), here()
		}},
		{"nn.StaticRNN", func() (error, string) {
			return e2(nn.StaticRNN(rnn.NewBasicRNNCell(3), nil, rnn.DType(tf.Float32))), here()
		}},
		{"nn.StaticRNN rank", func() (error, string) {
			return e2(nn.StaticRNN(rnn.NewBasicRNNCell(3), []*tf.Tensor{ph(2, 3, 4)}, rnn.DType(tf.Float32))), here()
		}},
		{"nn.BidirectionalDynamicRNN", func() (error, string) {
			return e2(nn.BidirectionalDynamicRNN(rnn.NewBasicRNNCell(3), nil, ph(2, 4, 3), rnn.DType(tf.Float32))), here()
		}},
		{"nn.StaticBidirectionalRNN", func() (error, string) {
			return e3(nn.StaticBidirectionalRNN(rnn.NewBasicRNNCell(3), rnn.NewBasicRNNCell(3), []*tf.Tensor{ph(2, 3, 4)}, rnn.DType(tf.Float32))), here()
		}},
		{"nn.UniformCandidateSampler", func() (error, string) {
			return e3(nn.UniformCandidateSampler(ph(2, 1), 1, 3, true, 10)), here()
		}},
		{"nn.SampledSoftmaxLoss", func() (error, string) {
			return firstErr(nn.SampledSoftmaxLoss(ph(10, 4), ph(10), phi(2, 1), ph(2, 5), 3, 10)), here()
		}},
		{"nn.NCELoss", func() (error, string) {
			return firstErr(nn.NCELoss(ph(10, 4), ph(10), phi(2, 1), ph(2, 5), 3, 10)), here()
		}},

		// contrib/rnn cells and functions
		{"rnn.NewBasicRNNCell", func() (error, string) { return firstErr(rnn.NewBasicRNNCell(0)), here() }},
		{"rnn.NewBasicLSTMCell", func() (error, string) { return firstErr(rnn.NewBasicLSTMCell(-1)), here() }},
		{"rnn.NewLSTMCell", func() (error, string) { return firstErr(rnn.NewLSTMCell(4, rnn.NumProj(-2))), here() }},
		{"rnn.NewGRUCell", func() (error, string) { return firstErr(rnn.NewGRUCell(0)), here() }},
		{"rnn.NewGRUBlockCell", func() (error, string) { return firstErr(rnn.NewGRUBlockCell(0)), here() }},
		{"rnn.NewLSTMBlockCell", func() (error, string) { return firstErr(rnn.NewLSTMBlockCell(0)), here() }},
		{"rnn.NewLayerNormBasicLSTMCell", func() (error, string) { return firstErr(rnn.NewLayerNormBasicLSTMCell(0)), here() }},
		{"rnn.NewNASCell", func() (error, string) { return firstErr(rnn.NewNASCell(0)), here() }},
		{"rnn.NewUGRNNCell", func() (error, string) { return firstErr(rnn.NewUGRNNCell(0)), here() }},
		{"rnn.NewIntersectionRNNCell", func() (error, string) { return firstErr(rnn.NewIntersectionRNNCell(0)), here() }},
		{"rnn.NewCoupledInputForgetGateLSTMCell", func() (error, string) {
			return firstErr(rnn.NewCoupledInputForgetGateLSTMCell(0)), here()
		}},
		{"rnn.NewMultiRNNCell", func() (error, string) { return callCell(rnn.NewMultiRNNCell([]rnn.Cell{})), here() }},
		{"rnn.NewDropoutWrapper", func() (error, string) {
			return callCell(rnn.NewDropoutWrapper(rnn.NewBasicRNNCell(3), rnn.InputKeepProb(2.0))), here()
		}},
		{"rnn.NewDropoutWrapper nil", func() (error, string) { return callCell(rnn.NewDropoutWrapper(nil)), here() }},
		{"rnn.NewResidualWrapper", func() (error, string) { return callCell(rnn.NewResidualWrapper(nil)), here() }},
		{"rnn.NewHighwayWrapper", func() (error, string) { return callCell(rnn.NewHighwayWrapper(nil)), here() }},
		{"rnn.NewDeviceWrapper", func() (error, string) { return callCell(rnn.NewDeviceWrapper(nil, "/cpu:0")), here() }},
		{"rnn.NewOutputProjectionWrapper", func() (error, string) {
			return callCell(rnn.NewOutputProjectionWrapper(rnn.NewBasicRNNCell(3), 0)), here()
		}},
		{"rnn.NewInputProjectionWrapper", func() (error, string) {
			return callCell(rnn.NewInputProjectionWrapper(rnn.NewBasicRNNCell(3), 0)), here()
		}},
		{"rnn.NewEmbeddingWrapper", func() (error, string) {
			return callCell(rnn.NewEmbeddingWrapper(rnn.NewBasicRNNCell(3), 0, 4)), here()
		}},
		{"rnn.NewAttentionCellWrapper", func() (error, string) {
			return firstErr(rnn.NewAttentionCellWrapper(rnn.NewBasicRNNCell(3), 0)), here()
		}},
		{"rnn.Zeros", func() (error, string) { return firstErr(rnn.Zeros(2, -1, tf.Float32)), here() }},
		{"rnn.ZeroState", func() (error, string) {
			return firstErr(rnn.ZeroState(rnn.NewBasicRNNCell(3), "two", tf.Float32)), here()
		}},
		{"rnn.Copy", func() (error, string) {
			return e2(rnn.Copy(nil)), here()
		}},
		{"Cell.Call", func() (error, string) {
			c := rnn.NewBasicRNNCell(3)
			return e2(c.Call(ph(2, 3, 4), c.ZeroState(2, tf.Float32))), here()
		}},
		{"rnn.StaticRNN", func() (error, string) {
			return e2(rnn.StaticRNN(rnn.NewBasicLSTMCell(3), []*tf.Tensor{phi(2, 3)}, rnn.DType(tf.Float32))), here()
		}},
		{"rnn.StackBidirectionalDynamicRNN", func() (error, string) {
			return e3(rnn.StackBidirectionalDynamicRNN(nil, nil, ph(2, 4, 3))), here()
		}},
		{"rnn.StackBidirectionalRNN", func() (error, string) {
			return e3(rnn.StackBidirectionalRNN([]rnn.Cell{rnn.NewBasicRNNCell(3)}, nil, []*tf.Tensor{ph(2, 3)})), here()
		}},

		// layers
		{"layers.Dense", func() (error, string) { return firstErr(layers.Dense(nil, 3)), here() }},
		{"layers.Dense units", func() (error, string) { return firstErr(layers.Dense(ph(2, 3), 0)), here() }},
		{"layers.FullyConnected", func() (error, string) { return firstErr(layers.FullyConnected(ph(2, tf.None), 3)), here() }},
		{"layers.DenseLayer.Apply", func() (error, string) { return firstErr(layers.NewDense(3).Apply(phi(2, 3))), here() }},

		// losses
		{"losses.MeanSquaredError", func() (error, string) { return firstErr(losses.MeanSquaredError(ph(2, 3), ph(2, 4))), here() }},
		{"losses.AbsoluteDifference", func() (error, string) {
			return firstErr(losses.AbsoluteDifference(ph(2, 3), ph(2, 4))), here()
		}},
		{"losses.HuberLoss", func() (error, string) { return firstErr(losses.HuberLoss(ph(2, 3), ph(2, 4))), here() }},
		{"losses.LogLoss", func() (error, string) { return firstErr(losses.LogLoss(ph(2, 3), ph(2, 4))), here() }},
		{"losses.SigmoidCrossEntropy", func() (error, string) {
			return firstErr(losses.SigmoidCrossEntropy(ph(2, 3), ph(2, 4))), here()
		}},
		{"losses.SoftmaxCrossEntropy", func() (error, string) {
			return firstErr(losses.SoftmaxCrossEntropy(ph(2, 3), ph(2, 4))), here()
		}},
		{"losses.SparseSoftmaxCrossEntropy", func() (error, string) {
			return firstErr(losses.SparseSoftmaxCrossEntropy(ph(2), ph(2, 4))), here()
		}},
		{"losses.ComputeWeightedLoss", func() (error, string) { return firstErr(losses.ComputeWeightedLoss(nil)), here() }},
		{"losses reduction", func() (error, string) {
			return firstErr(losses.MeanSquaredError(ph(2), ph(2), tf.Reduction("most"))), here()
		}},
		{"losses weights", func() (error, string) {
			return firstErr(losses.MeanSquaredError(ph(2, 3), ph(2, 3), tf.Weights(ph(4)))), here()
		}},
		{"losses.AddLoss", func() (error, string) { return losses.AddLoss(nil), here() }},
		{"losses.GetTotalLoss", func() (error, string) { return firstErr(losses.GetTotalLoss()), here() }},

		// train
		{"train.NewGradientDescentOptimizer", func() (error, string) {
			return firstErr(train.NewGradientDescentOptimizer("fast").Minimize(ph(2))), here()
		}},
		{"train.NewAdamOptimizer", func() (error, string) {
			return firstErr(train.NewAdamOptimizer(0.1, train.Beta1("x")).Minimize(ph(2))), here()
		}},
		{"train.NewMomentumOptimizer", func() (error, string) {
			return firstErr(train.NewMomentumOptimizer(0.1, "m").Minimize(ph(2))), here()
		}},
		{"Optimizer.Minimize", func() (error, string) { return firstErr(train.NewAdamOptimizer(0.1).Minimize(nil)), here() }},
		{"Optimizer.Minimize no variables", func() (error, string) {
			return firstErr(train.NewRMSPropOptimizer(0.1).Minimize(ph(2))), here()
		}},
		{"Optimizer.ComputeGradients", func() (error, string) {
			return e2(train.NewAdagradOptimizer(0.1).ComputeGradients(phi(2))), here()
		}},
		{"Optimizer.ComputeGradients var_list", func() (error, string) {
			return e2(train.NewAdagradOptimizer(0.1).ComputeGradients(ph(2), train.VarList(nil))), here()
		}},
		{"Optimizer.ApplyGradients", func() (error, string) {
			v := tf.NewVariable([]float32{1, 2})
			return firstErr(train.NewGradientDescentOptimizer(0.1).ApplyGradients([]train.GradVar{{Grad: ph(3), Var: v}})), here()
		}},
		{"train.ExponentialDecay", func() (error, string) { return firstErr(train.ExponentialDecay(0.1, "step", 10, 0.9)), here() }},
		{"train.PiecewiseConstant", func() (error, string) {
			return firstErr(train.PiecewiseConstant(phi(), []float64{1, 2}, []float64{1})), here()
		}},
		{"train.NewGlobalStep", func() (error, string) {
			train.NewGlobalStep()
			return firstErr(train.NewGlobalStep()), here()
		}},
		{"train.NewSaver", func() (error, string) { return firstErr(train.NewSaver(train.MaxToKeep(-1))), here() }},

		// seq2seq
		{"seq2seq.SequenceLoss", func() (error, string) {
			return firstErr(seq2seq.SequenceLoss([]*tf.Tensor{ph(2, 3)}, nil, nil)), here()
		}},
		{"seq2seq.RNNDecoder", func() (error, string) {
			return e2(seq2seq.RNNDecoder(nil, nil, rnn.NewBasicRNNCell(3))), here()
		}},
		{"seq2seq.BasicRNNSeq2Seq", func() (error, string) {
			return e2(seq2seq.BasicRNNSeq2Seq([]*tf.Tensor{ph(2, 3)}, []*tf.Tensor{ph(2, 3)}, nil)), here()
		}},
		{"seq2seq.EmbeddingRNNSeq2Seq", func() (error, string) {
			return e2(seq2seq.EmbeddingRNNSeq2Seq([]*tf.Tensor{phi(2)}, []*tf.Tensor{phi(2)}, rnn.NewBasicRNNCell(3), 0, 5, 4)), here()
		}},
		{"seq2seq.TiedRNNSeq2Seq", func() (error, string) {
			return e2(seq2seq.TiedRNNSeq2Seq([]*tf.Tensor{ph(2, 3)}, nil, rnn.NewBasicRNNCell(3))), here()
		}},
		{"seq2seq.EmbeddingRNNDecoder", func() (error, string) {
			return e2(seq2seq.EmbeddingRNNDecoder([]*tf.Tensor{phi(2)}, nil, rnn.NewBasicRNNCell(3), 5, 4)), here()
		}},
		{"seq2seq.AttentionDecoder", func() (error, string) {
			return e2(seq2seq.AttentionDecoder([]*tf.Tensor{ph(2, 3)}, []*tf.Tensor{ph(2, 3)}, ph(2, 3), rnn.NewBasicRNNCell(3), 0)), here()
		}},
		{"seq2seq.EmbeddingAttentionSeq2Seq", func() (error, string) {
			return e2(seq2seq.EmbeddingAttentionSeq2Seq(nil, []*tf.Tensor{phi(2)}, rnn.NewBasicRNNCell(3), 5, 5, 4)), here()
		}},
		{"seq2seq.SequenceLossByExample", func() (error, string) {
			return firstErr(seq2seq.SequenceLossByExample([]*tf.Tensor{ph(2, 3)}, []*tf.Tensor{phi(2)}, []*tf.Tensor{nil})), here()
		}},
		{"contrib/seq2seq.SequenceLoss", func() (error, string) {
			return firstErr(cseq2seq.SequenceLoss(ph(2, 3, 4), phi(2, 4), ph(2, 3))), here()
		}},
		{"contrib/seq2seq.NewTrainingHelper", func() (error, string) { return firstErr(cseq2seq.NewTrainingHelper(nil, phi(2))), here() }},
		{"contrib/seq2seq.NewGreedyEmbeddingHelper", func() (error, string) {
			return firstErr(cseq2seq.NewGreedyEmbeddingHelper(ph(5, 3), ph(2), 1)), here()
		}},
		{"contrib/seq2seq.NewBasicDecoder", func() (error, string) { return firstErr(cseq2seq.NewBasicDecoder(nil, nil, nil)), here() }},
		{"contrib/seq2seq.DynamicDecode", func() (error, string) {
			return e3(cseq2seq.DynamicDecode(nil)), here()
		}},
		{"contrib/seq2seq.NewBahdanauAttention", func() (error, string) {
			return firstErr(cseq2seq.NewBahdanauAttention(0, ph(2, 5, 3))), here()
		}},
		{"contrib/seq2seq.NewLuongAttention", func() (error, string) { return firstErr(cseq2seq.NewLuongAttention(3, nil)), here() }},
		{"contrib/seq2seq.NewAttentionWrapper", func() (error, string) {
			return firstErr(cseq2seq.NewAttentionWrapper(rnn.NewBasicRNNCell(3), nil)), here()
		}},

		// summary
		{"summary.Scalar", func() (error, string) { return firstErr(summary.Scalar("loss", ph(2))), here() }},
		{"summary.Histogram", func() (error, string) { return firstErr(summary.Histogram("h", nil)), here() }},
		{"summary.Image", func() (error, string) { return firstErr(summary.Image("img", ph(2, 3), 3)), here() }},
		{"summary.Text", func() (error, string) { return firstErr(summary.Text("t", ph(2))), here() }},
		{"summary.Merge", func() (error, string) { return firstErr(summary.Merge([]*tf.Tensor{ph(2)})), here() }},
		{"summary.Scalar nil", func() (error, string) { return firstErr(summary.Scalar("loss", nil)), here() }},
		{"summary.Image nil", func() (error, string) { return firstErr(summary.Image("img", nil, 3)), here() }},
		{"summary.Image max_outputs", func() (error, string) { return firstErr(summary.Image("img", ph(1, 2, 2, 3), 0)), here() }},
		{"summary.Text type", func() (error, string) { return firstErr(summary.Text("t", 5)), here() }},
		{"summary.Merge empty", func() (error, string) { return firstErr(summary.Merge(nil)), here() }},
		{"summary.NewFileWriter", func() (error, string) { return e2(summary.NewFileWriter("", nil)), here() }},
	}
	for _, tt := range tests {
		tf.ResetDefaultGraph()
		losses.ResetLosses()
		err, want := tt.call()
		if err == nil {
			t.Errorf("%s: no error", tt.name)
			continue
		}
		text := err.Error()
		if !strings.Contains(text, want) {
			t.Errorf("%s: error does not name %s:\n%s", tt.name, want, text)
			continue
		}
		file := want[:strings.IndexByte(want, ':')]
		for _, s := range siteRE.FindAllString(text, -1) {
			if !strings.HasPrefix(s, file+":") {
				t.Errorf("%s: error names a site %s other than the user's %s:\n%s", tt.name, s, want, text)
				break
			}
		}
	}
	tf.ResetDefaultGraph()
}
