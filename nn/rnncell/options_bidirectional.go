package rnncell

import "github.com/gorgoflow/gorgoflow/tf"

// InitialStateFw gives the initial state of a bidirectional RNN's forward
// cell (initial_state_fw= of tf.nn.bidirectional_dynamic_rnn and
// static_bidirectional_rnn): one tensor per entry of the forward cell's
// StateSize, each [batch, size]. Without it the state starts at zeros of
// DType.
func InitialStateFw(state ...*tf.Tensor) Option {
	s := append([]*tf.Tensor(nil), state...)
	return Option{"initial_state_fw", func(o *Options) { o.InitialStateFw = s }}
}

// InitialStateBw gives the initial state of a bidirectional RNN's backward
// cell (initial_state_bw=), as InitialStateFw.
func InitialStateBw(state ...*tf.Tensor) Option {
	s := append([]*tf.Tensor(nil), state...)
	return Option{"initial_state_bw", func(o *Options) { o.InitialStateBw = s }}
}

// InitialStatesFw gives the initial states of a stacked bidirectional
// RNN's forward cells, one state per layer (initial_states_fw= of
// tf.contrib.rnn.stack_bidirectional_dynamic_rnn and
// stack_bidirectional_rnn): states[l] is layer l's, one tensor per entry of
// its forward cell's StateSize.
func InitialStatesFw(states ...[]*tf.Tensor) Option {
	s := copyStates(states)
	return Option{"initial_states_fw", func(o *Options) { o.InitialStatesFw = s }}
}

// InitialStatesBw gives the initial states of a stacked bidirectional
// RNN's backward cells (initial_states_bw=), as InitialStatesFw.
func InitialStatesBw(states ...[]*tf.Tensor) Option {
	s := copyStates(states)
	return Option{"initial_states_bw", func(o *Options) { o.InitialStatesBw = s }}
}

func copyStates(states [][]*tf.Tensor) [][]*tf.Tensor {
	s := make([][]*tf.Tensor, len(states))
	for i, st := range states {
		s[i] = append([]*tf.Tensor(nil), st...)
	}
	return s
}
