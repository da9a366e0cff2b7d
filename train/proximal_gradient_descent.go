package train

import (
	"github.com/gorgoflow/gorgoflow/tf"
)

// ProximalGradientDescentOptimizer is gradient descent followed by the
// proximal step of L1 and L2 regularization (FOBOS; Duchi and Singer,
// 2009), as TF 1.x computes it (tf.train.ProximalGradientDescentOptimizer,
// TF's ApplyProximalGradientDescent):
//
//	prox = var - learning_rate*grad
//	var = sign(prox) * max(|prox| - learning_rate*l1, 0) / (1 + learning_rate*l2)
//
// It has no slots. A sparse gradient updates the rows it touches
// (SparseApplyProximalGradientDescent), repeated indices summed first.
type ProximalGradientDescentOptimizer struct{ *base }

var (
	proximalHyper hyperFunc = func(a tf.Attrs, _ []float64, _ func(float64) float64) []float64 {
		return []float64{a.Float("lr", 0), a.Float("l1", 0), a.Float("l2", 0)}
	}
	proximalGDDef       = applyDef("ApplyProximalGradientDescent", proximalGD[float32], proximalGD[float64], proximalHyper)
	proximalGDSparseDef = sparseApplyDef("SparseApplyProximalGradientDescent", true, rowwise(proximalGD[float32]), rowwise(proximalGD[float64]), proximalHyper)
)

// NewProximalGradientDescentOptimizer returns proximal gradient descent
// (tf.train.ProximalGradientDescentOptimizer(learning_rate)). The learning
// rate and the regularization strengths are numbers or scalar tensors.
// Options: L1RegularizationStrength (default 0), L2RegularizationStrength
// (0), Name ("ProximalGradientDescent").
func NewProximalGradientDescentOptimizer(learningRate any, opts ...Option) *ProximalGradientDescentOptimizer {
	return &ProximalGradientDescentOptimizer{newBase("train.NewProximalGradientDescentOptimizer", "ProximalGradientDescent", learningRate, opts,
		[]string{"l1_regularization_strength", "l2_regularization_strength"},
		func(fn string, o *options) (kind, error) {
			a, err := hypers(fn, "l1", o.get("l1_regularization_strength", o.l1, 0.0), "l2", o.get("l2_regularization_strength", o.l2, 0.0))
			return plainKind{dense: proximalGDDef, sparse: proximalGDSparseDef, attrs: a}, err
		})}
}

// proximalGD is ApplyProximalGradientDescent; vals is the variable.
func proximalGD[T float](vals [][]T, g []T, h []float64) {
	w := vals[0]
	lr, l1, l2 := T(h[0]), T(h[1]), T(h[2])
	for i := range w {
		w[i] = proximalStep(w[i]-g[i]*lr, lr, l1, l2)
	}
}

// proximalStep is FOBOS's shrinkage of prox with step size lr:
// sign(prox)*max(|prox| - lr*l1, 0)/(1 + l2*lr), or prox/(1 + l2*lr)
// without L1.
func proximalStep[T float](prox, lr, l1, l2 T) T {
	if l1 > 0 {
		a := prox
		if a < 0 {
			a = -a
		}
		return sign(prox) * max(a-lr*l1, 0) / (1 + l2*lr)
	}
	return prox / (1 + l2*lr)
}
