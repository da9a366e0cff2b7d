package train

import (
	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// GlobalStepName is the name of the global step variable ("global_step").
const GlobalStepName = "global_step"

// GetGlobalStep returns the default graph's global step variable, or nil when
// it has none (tf.train.get_global_step).
func GetGlobalStep() *tf.Variable {
	for _, v := range tf.GlobalVariables() {
		if v.Name() == GlobalStepName {
			return v
		}
	}
	return nil
}

// NewGlobalStep creates the default graph's global step: a non-trainable
// int64 scalar variable "global_step" starting at 0
// (tf.train.create_global_step). It is an error (carried by the returned
// variable) when the graph has one already.
func NewGlobalStep() *tf.Variable {
	if GetGlobalStep() != nil {
		return failedVariable(errors.Errorf("train.NewGlobalStep at %s: \"global_step\" already exists", tfimpl.CallerSite()))
	}
	defer tf.NameScope("")()
	return tf.GetVariable(GlobalStepName, tf.Shape{}, tf.WithDType(tf.Int64),
		tf.WithInitializer(tf.ZerosInitializer()), tf.Trainable(false))
}

// GetOrCreateGlobalStep returns the default graph's global step, creating
// it when missing (tf.train.get_or_create_global_step).
func GetOrCreateGlobalStep() *tf.Variable {
	if v := GetGlobalStep(); v != nil {
		return v
	}
	return NewGlobalStep()
}

func failedVariable(err error) *tf.Variable {
	return tf.NewVariable(tfimpl.ErrTensor(err))
}
