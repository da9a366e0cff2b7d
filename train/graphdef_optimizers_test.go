package train_test

import (
	"testing"

	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

// TestOptimizerGraphDefsAgainstTFOpDefs exports every optimizer's update,
// from a dense and from a sparse (tf.Gather) gradient, in float32 and
// float64, with a number and with a float32 placeholder learning rate, and
// checks each node against TF's OpDefs and that the update is TF's op.
func TestOptimizerGraphDefsAgainstTFOpDefs(t *testing.T) {
	defs := tfOpDefs(t)
	cases := []struct {
		name          string
		opt           func(lr any, gs *tf.Variable) train.Optimizer
		dense, sparse string
	}{
		{"GradientDescent", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewGradientDescentOptimizer(lr) }, "ApplyGradientDescent", "ScatterSub"},
		{"Momentum", func(lr any, _ *tf.Variable) train.Optimizer {
			return train.NewMomentumOptimizer(lr, 0.9, train.UseNesterov(true))
		}, "ApplyMomentum", "SparseApplyMomentum"},
		{"Adam", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewAdamOptimizer(lr) }, "ApplyAdam", "ScatterAdd"},
		{"RMSProp", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewRMSPropOptimizer(lr) }, "ApplyRMSProp", "SparseApplyRMSProp"},
		{"RMSPropCentered", func(lr any, _ *tf.Variable) train.Optimizer {
			return train.NewRMSPropOptimizer(lr, train.Centered(true))
		}, "ApplyCenteredRMSProp", "SparseApplyCenteredRMSProp"},
		{"Adagrad", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewAdagradOptimizer(lr) }, "ApplyAdagrad", "SparseApplyAdagrad"},
		{"Adadelta", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewAdadeltaOptimizer(lr) }, "ApplyAdadelta", "SparseApplyAdadelta"},
		{"Ftrl", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewFtrlOptimizer(lr) }, "ApplyFtrl", "SparseApplyFtrl"},
		{"FtrlV2", func(lr any, _ *tf.Variable) train.Optimizer {
			return train.NewFtrlOptimizer(lr, train.L2ShrinkageRegularizationStrength(0.1))
		}, "ApplyFtrlV2", "SparseApplyFtrlV2"},
		{"ProximalGradientDescent", func(lr any, _ *tf.Variable) train.Optimizer {
			return train.NewProximalGradientDescentOptimizer(lr, train.L1RegularizationStrength(0.01))
		}, "ApplyProximalGradientDescent", "SparseApplyProximalGradientDescent"},
		{"ProximalAdagrad", func(lr any, _ *tf.Variable) train.Optimizer { return train.NewProximalAdagradOptimizer(lr) },
			"ApplyProximalAdagrad", "SparseApplyProximalAdagrad"},
		{"AdagradDA", func(lr any, gs *tf.Variable) train.Optimizer { return train.NewAdagradDAOptimizer(lr, gs) }, "ApplyAdagradDA", "SparseApplyAdagradDA"},
	}
	for _, c := range cases {
		for _, dt := range []tf.DType{tf.Float32, tf.Float64} {
			for _, fed := range []bool{false, true} {
				name := c.name + "/" + dt.String()
				if fed {
					name += "/placeholder learning rate"
				}
				t.Run(name, func(t *testing.T) {
					g := tf.NewGraph()
					defer g.AsDefault()()
					var lr any = 0.1
					if fed {
						lr = tf.Placeholder(tf.Float32, tf.Shape{}, tf.Name("lr"))
					}
					W := tf.NewVariable(tf.Cast(tf.Constant(sw0, tf.Float64), dt), tf.Name("W"))
					E := tf.NewVariable(tf.Cast(tf.Constant(sw0, tf.Float64), dt), tf.Name("E"))
					ids := tf.Placeholder(tf.Int32, tf.Shape{tf.None}, tf.Name("ids"))
					loss := tf.Add(tf.ReduceSum(tf.Square(W)), tf.ReduceSum(tf.Square(tf.Gather(E, ids))))
					gs := train.GetOrCreateGlobalStep()
					c.opt(lr, gs).Minimize(loss, train.GlobalStep(gs))
					tf.GlobalVariablesInitializer()
					s := train.NewSaver()
					if err := g.Err(); err != nil {
						t.Fatal(err)
					}
					problems, types := checkGraphDef(t, defs, metaGraphBytes(t, s))
					for _, p := range problems {
						t.Error(p)
					}
					for _, op := range []string{c.dense, c.sparse} {
						if types[op] == 0 {
							t.Errorf("no %s node; types %v", op, types)
						}
					}
				})
			}
		}
	}
}
