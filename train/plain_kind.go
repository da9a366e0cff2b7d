package train

import (
	"math"

	"github.com/gorgoflow/gorgoflow/tf"
)

// plainKind is an optimizer without non-slot variables or finishing ops:
// its slots, its dense and sparse update ops and their attributes.
type plainKind struct {
	slotSpecs     []slotSpec
	dense, sparse *tf.OpDef
	attrs         tf.Attrs
}

func (k plainKind) slots() []slotSpec                           { return k.slotSpecs }
func (plainKind) nonSlot() []slotSpec                           { return nil }
func (k plainKind) applyDef() *tf.OpDef                         { return k.dense }
func (k plainKind) sparseDef() *tf.OpDef                        { return k.sparse }
func (plainKind) finish(*base, []*tf.Operation) []*tf.Operation { return nil }

// applyAttrs returns a copy: the caller moves tensor values out of it.
func (k plainKind) applyAttrs() tf.Attrs {
	a := make(tf.Attrs, len(k.attrs))
	for n, v := range k.attrs {
		a[n] = v
	}
	return a
}

// hypers converts the hyperparameters given to fn (name, value pairs) into
// update op attributes.
func hypers(fn string, kv ...any) (tf.Attrs, error) {
	a := tf.Attrs{}
	for i := 0; i < len(kv); i += 2 {
		name := kv[i].(string)
		v, err := hyperValue(fn, name, kv[i+1])
		if err != nil {
			return nil, err
		}
		a[name] = v
	}
	return a, nil
}

// given returns the value of option key when it was given, else def.
func (o *options) get(key string, val, def any) any {
	if o.given[key] {
		return val
	}
	return def
}

// sign is Eigen's sign: -1, 0 or 1.
func sign[T float](x T) T {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// rsqrt is 1/sqrt(x) in T.
func rsqrt[T float](x T) T { return T(1 / math.Sqrt(float64(x))) }
