// Command manual_rnn is listing 14.2 of Géron's chapter 14 (L1): a layer of
// five recurrent neurons unrolled by hand over two time steps.
package main

import (
	"fmt"

	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
)

func main() {
	tf.SetRandomSeed(42)
	nInputs := 3
	nNeurons := 5

	X0 := placeholder.New(tf.Float32, tf.Shape{tf.None, nInputs})
	X1 := placeholder.New(tf.Float32, tf.Shape{tf.None, nInputs})

	Wx := tf.NewVariable(tf.RandomNormal(tf.Shape{nInputs, nNeurons}, tf.Float32))
	Wy := tf.NewVariable(tf.RandomNormal(tf.Shape{nNeurons, nNeurons}, tf.Float32))
	b := tf.NewVariable(tf.Zeros(tf.Shape{1, nNeurons}, tf.Float32))

	Y0 := tf.Tanh(tf.Add(tf.MatMul(X0, Wx), b))
	Y1 := tf.Tanh(tf.Add(tf.Add(tf.MatMul(Y0, Wy), tf.MatMul(X1, Wx)), b))

	init := tf.GlobalVariablesInitializer()

	// Mini-batch:        instance 0, instance 1, instance 2, instance 3
	X0Batch := [][]float32{{0, 1, 2}, {3, 4, 5}, {6, 7, 8}, {9, 0, 1}} // t = 0
	X1Batch := [][]float32{{9, 8, 7}, {0, 0, 0}, {6, 5, 4}, {3, 2, 1}} // t = 1

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	vals := sess.MustRun([]tf.Fetch{Y0, Y1}, session.Feed{X0: X0Batch, X1: X1Batch})
	Y0Val, Y1Val := vals[0], vals[1]

	fmt.Println(Y0Val) // output at t = 0
	fmt.Println(Y1Val) // output at t = 1
}
