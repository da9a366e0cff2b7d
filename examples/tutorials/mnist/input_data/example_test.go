package input_data_test

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/gorgoflow/gorgoflow/examples/tutorials/mnist/input_data"
)

func ExampleReadDataSets() {
	// A tiny MNIST-like data set: 10 training images of 28x28 labelled
	// 0 to 9, and 4 test images.
	dir, err := os.MkdirTemp("", "mnist")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	writeTinyMNIST(dir, 10, 4)

	// For the real files: dir, err := input_data.DefaultDir()
	mnist, err := input_data.ReadDataSets(dir, input_data.ValidationSize(2), input_data.Seed(1))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("examples:", mnist.Train.NumExamples(), mnist.Validation.NumExamples(), mnist.Test.NumExamples())
	fmt.Println("test images:", mnist.Test.Images().Shape(), "test labels:", mnist.Test.Labels().Data())

	const batchSize = 3
	for iteration := 0; iteration < 4; iteration++ {
		xBatch, yBatch, err := mnist.Train.NextBatch(batchSize)
		if err != nil {
			log.Fatal(err)
		}
		// X_batch = X_batch.reshape((-1, n_steps, n_inputs))
		if err := xBatch.Reshape(batchSize, 28, 28); err != nil {
			log.Fatal(err)
		}
		fmt.Println(xBatch.Shape(), "labels", yBatch.Data(), "epochs completed", mnist.Train.EpochsCompleted())
	}
	// The batches are those of TF's read_data_sets(dir, validation_size=2,
	// seed=1).train.next_batch(3).

	// Output:
	// examples: 8 2 4
	// test images: (4, 784) test labels: [0 1 2 3]
	// (3, 28, 28) labels [9 4 3] epochs completed 0
	// (3, 28, 28) labels [8 2 6] epochs completed 0
	// (3, 28, 28) labels [5 7 3] epochs completed 1
	// (3, 28, 28) labels [8 2 7] epochs completed 1
}

// writeTinyMNIST writes the four gzipped IDX files of nTrain training and
// nTest test images of 28x28, image i labelled i%10.
func writeTinyMNIST(dir string, nTrain, nTest int) {
	write := func(name string, magic uint32, dims []uint32, data []byte) {
		var b bytes.Buffer
		z := gzip.NewWriter(&b)
		binary.Write(z, binary.BigEndian, magic)
		binary.Write(z, binary.BigEndian, dims)
		z.Write(data)
		z.Close()
		if err := os.WriteFile(filepath.Join(dir, name+".gz"), b.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	for _, f := range []struct {
		images, labels string
		n              int
	}{{input_data.TrainImages, input_data.TrainLabels, nTrain}, {input_data.TestImages, input_data.TestLabels, nTest}} {
		pixels, labels := make([]byte, f.n*784), make([]byte, f.n)
		for i := range labels {
			labels[i] = byte(i % 10)
			pixels[i*784+i] = 255
		}
		write(f.images, 2051, []uint32{uint32(f.n), 28, 28}, pixels)
		write(f.labels, 2049, []uint32{uint32(f.n)}, labels)
	}
}
