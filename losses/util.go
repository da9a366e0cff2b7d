package losses

import (
	"strings"
	"sync"

	"github.com/pkg/errors"

	"github.com/gorgoflow/gorgoflow/internal/tfimpl"
	"github.com/gorgoflow/gorgoflow/tf"
)

// The collections the losses are added to (TF's tf.GraphKeys.LOSSES and
// REGULARIZATION_LOSSES).
const (
	GraphKeysLosses               = "losses"
	GraphKeysRegularizationLosses = "regularization_losses"
)

// collections holds each graph's loss collections. A graph's entry lives
// as long as the process (gorgoflow's graphs have no collections of their
// own); ResetLosses drops one.
var collections = struct {
	sync.Mutex
	m map[*tf.Graph]map[string][]*tf.Tensor
}{m: map[*tf.Graph]map[string][]*tf.Tensor{}}

func addTo(loss *tf.Tensor, collection string) {
	collections.Lock()
	defer collections.Unlock()
	g := loss.Graph()
	if collections.m[g] == nil {
		collections.m[g] = map[string][]*tf.Tensor{}
	}
	collections.m[g][collection] = append(collections.m[g][collection], loss)
}

// AddLoss adds a loss to the default graph's loss collection
// (tf.losses.add_loss), for GetLosses and GetTotalLoss.
// Options: tf.LossCollection (default "losses").
func AddLoss(loss *tf.Tensor, opts ...tf.Option) error {
	a, err := tfimpl.ParseArgs("losses.AddLoss", opts, "loss_collection")
	if err != nil {
		return err
	}
	if loss == nil {
		return errors.Errorf("losses.AddLoss at %s: loss is nil", tfimpl.CallerSite())
	}
	if loss.Err() != nil {
		return loss.Err()
	}
	if c := a.String("loss_collection", GraphKeysLosses); c != "" {
		addTo(loss, c)
	}
	return nil
}

// get returns the losses of the default graph's collection whose names
// start with scope.
func get(collection, scope string) []*tf.Tensor {
	collections.Lock()
	defer collections.Unlock()
	var out []*tf.Tensor
	for _, l := range collections.m[tf.DefaultGraph()][collection] {
		if strings.HasPrefix(l.Name(), scope) {
			out = append(out, l)
		}
	}
	return out
}

// GetLosses returns the losses added to the default graph's "losses"
// collection whose names start with scope ("" for all), in the order they
// were made (tf.losses.get_losses).
func GetLosses(scope string) []*tf.Tensor { return get(GraphKeysLosses, scope) }

// GetRegularizationLosses returns the default graph's
// "regularization_losses" collection (tf.losses.get_regularization_losses),
// whose names start with scope ("" for all).
func GetRegularizationLosses(scope string) []*tf.Tensor {
	return get(GraphKeysRegularizationLosses, scope)
}

// GetTotalLoss returns the sum of the default graph's losses and
// regularization losses (tf.losses.get_total_loss), named "total_loss".
// Options: tf.Name.
func GetTotalLoss(opts ...tf.Option) *tf.Tensor {
	a, err := tfimpl.ParseArgs("losses.GetTotalLoss", opts, "name")
	if err != nil {
		return tfimpl.ErrTensor(err)
	}
	all := append(GetLosses(""), GetRegularizationLosses("")...)
	if len(all) == 0 {
		return tfimpl.ErrTensor(errors.Errorf("losses.GetTotalLoss at %s: no losses in the default graph's collections", tfimpl.CallerSite()))
	}
	in := make([]any, len(all))
	for i, l := range all {
		in[i] = l
	}
	name := a.Name()
	if name == "" {
		name = "total_loss"
	}
	return tf.Identity(tf.AddN(in...), tf.Name(name))
}

// ResetLosses empties the default graph's loss collections.
func ResetLosses() {
	collections.Lock()
	defer collections.Unlock()
	delete(collections.m, tf.DefaultGraph())
}
