// Command word2vec trains the skip-gram word embeddings of Géron's chapter
// 14 notebook ("Word Embeddings"), line for line in gorgoflow: a vocabulary
// of 50,000 words, embeddings of 150, batches of 128 (skip window 1, 2 skips
// per word), NCE loss with 64 sampled classes and Adam(0.01).
//
// The corpus is already on the machine: the comments of the Go
// distribution's sources and its documentation ($(go env GOROOT)), about
// seven million words of English about programming. Nothing is downloaded.
//
//	go run ./examples/word2vec                       # 10,001 steps
//	go run ./examples/word2vec -steps 50001 -png embeddings.png
//
// Every 2,000 steps it prints the average loss, and every 10,000 steps (and
// at the end) the nearest words of a few probe words, by cosine similarity
// of the normalized embeddings. With -png it draws the notebook's figure: a
// 2-D projection (PCA, computed in Go) of the 500 most frequent words.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode"

	"gorgonia.org/tensor"

	"github.com/gorgoflow/gorgoflow/nn"
	"github.com/gorgoflow/gorgoflow/placeholder"
	"github.com/gorgoflow/gorgoflow/session"
	"github.com/gorgoflow/gorgoflow/tf"
	"github.com/gorgoflow/gorgoflow/train"
)

func main() {
	log.SetFlags(0)
	corpus := flag.String("corpus", runtime.GOROOT(), "directory whose .go comments and .html/.md text are the corpus")
	steps := flag.Int("steps", 10001, "training steps (num_steps)")
	vocab := flag.Int("vocab", 50000, "vocabulary size (most frequent words; the rest are UNK)")
	pngPath := flag.String("png", "", "write the 2-D projection of the 500 most frequent words to this PNG")
	probes := flag.String("probes", "function,value,error,file,returns,string,slice,goroutine,if,zero", "comma-separated words whose nearest neighbours are printed")
	seed := flag.Int64("seed", 42, "random seed")
	flag.Parse()

	words, err := readCorpus(*corpus)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("corpus: %d words from %s\n", len(words), *corpus)
	d := buildDataset(words, *vocab)
	fmt.Printf("vocabulary: %d words (UNK: %d occurrences); most common: %v\n", len(d.reverse), d.counts[0], d.reverse[1:8])

	const (
		batchSize     = 128
		embeddingSize = 150
		skipWindow    = 1
		numSkips      = 2
		numSampled    = 64
		learningRate  = 0.01
	)
	vocabularySize := *vocab
	rng := rand.New(rand.NewSource(*seed))
	var validExamples []int32
	for _, w := range strings.Split(*probes, ",") {
		if id, ok := d.dictionary[strings.TrimSpace(w)]; ok {
			validExamples = append(validExamples, int32(id))
		}
	}

	tf.SetRandomSeed(*seed)
	trainLabels := placeholder.New(tf.Int32, tf.Shape{batchSize, 1})
	validDataset := tf.Constant(validExamples, tf.Int32)
	initEmbeds := tf.RandomUniform(tf.Shape{vocabularySize, embeddingSize}, tf.Float32, tf.Minval(-1), tf.Maxval(1))
	embeddings := tf.NewVariable(initEmbeds)
	trainInputs := placeholder.New(tf.Int32, tf.Shape{tf.None})
	embed := nn.EmbeddingLookup(embeddings, trainInputs)
	nceWeights := tf.NewVariable(tf.TruncatedNormal(tf.Shape{vocabularySize, embeddingSize}, tf.Float32, tf.Stddev(1/math.Sqrt(embeddingSize))))
	nceBiases := tf.NewVariable(tf.Zeros(tf.Shape{vocabularySize}, tf.Float32))
	loss := tf.ReduceMean(nn.NCELoss(nceWeights, nceBiases, trainLabels, embed, numSampled, vocabularySize))
	optimizer := train.NewAdamOptimizer(learningRate)
	trainingOp := optimizer.Minimize(loss)
	norm := tf.Sqrt(tf.ReduceSum(tf.Square(embeddings), tf.Axis(1), tf.KeepDims(true)))
	normalizedEmbeddings := tf.Div(embeddings, norm)
	validEmbeddings := nn.EmbeddingLookup(normalizedEmbeddings, validDataset)
	similarity := tf.MatMul(validEmbeddings, normalizedEmbeddings, tf.TransposeB(true))
	init := tf.GlobalVariablesInitializer()
	if err := tf.DefaultGraph().Err(); err != nil {
		log.Fatal(err)
	}

	sess := session.New()
	defer sess.Close()
	sess.MustRun(init, nil)
	b := newBatcher(d.data, rng)
	averageLoss := 0.0
	for step := 0; step < *steps; step++ {
		batchInputs, batchLabels := b.generateBatch(batchSize, numSkips, skipWindow)
		out, err := sess.Run([]tf.Fetch{trainingOp, loss}, session.Feed{trainInputs: batchInputs, trainLabels: batchLabels})
		if err != nil {
			log.Fatal(err)
		}
		averageLoss += out[1].Float64s()[0]
		if step%2000 == 0 {
			if step > 0 {
				averageLoss /= 2000
			}
			// The average loss is an estimate of the loss over the last 2,000 batches.
			fmt.Printf("Average loss at step %d: %.4f\n", step, averageLoss)
			averageLoss = 0
		}
		if step%10000 == 0 || step == *steps-1 {
			sim := sess.MustRun(similarity, nil)[0]
			printNearest(sim.Float64s(), validExamples, d.reverse, 8)
		}
	}
	if *pngPath != "" {
		final := sess.MustRun(normalizedEmbeddings, nil)[0]
		const plotOnly = 500
		n := min(plotOnly, len(d.reverse))
		if err := plotWithLabels(final.Float64s()[:n*embeddingSize], embeddingSize, d.reverse[:n], *pngPath); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("wrote %s\n", *pngPath)
	}
}

// printNearest prints, for each probe word, its k nearest words by the rows
// of sim (one row of similarities to every word per probe).
func printNearest(sim []float64, probes []int32, reverse []string, k int) {
	v := len(sim) / max(len(probes), 1)
	for i, p := range probes {
		row := sim[i*v : (i+1)*v]
		order := make([]int, v)
		for j := range order {
			order[j] = j
		}
		sort.Slice(order, func(a, b int) bool { return row[order[a]] > row[order[b]] })
		var near []string
		for _, j := range order[1:] {
			if j < len(reverse) && j != int(p) {
				near = append(near, reverse[j])
			}
			if len(near) == k {
				break
			}
		}
		fmt.Printf("Nearest to %s: %s\n", reverse[p], strings.Join(near, ", "))
	}
}

// readCorpus returns the lowercased words of the comments of the .go files
// and of the text of the .html and .md files under dir, in file order.
func readCorpus(dir string) ([]string, error) {
	var words []string
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable parts are skipped
		}
		if e.IsDir() {
			if name := e.Name(); name == "testdata" || name == "vendor" || name == "pkg" || name == "bin" {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(path)
		if ext != ".go" && ext != ".html" && ext != ".md" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return nil
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			if ext == ".go" {
				i := strings.Index(line, "//")
				if i < 0 {
					continue
				}
				line = line[i+2:]
			} else {
				line = stripTags(line)
			}
			words = appendWords(words, line)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(words) < 1000 {
		return nil, fmt.Errorf("only %d words under %s: not a corpus", len(words), dir)
	}
	return words, nil
}

// stripTags drops <...> markup from a line of HTML.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>':
			in = false
			b.WriteByte(' ')
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// appendWords appends the lowercased runs of letters of s.
func appendWords(words []string, s string) []string {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		words = append(words, strings.ToLower(w))
	}
	return words
}

// dataset is the notebook's build_dataset: data holds each word's id,
// counts[id] its count (counts[0] that of UNK), dictionary maps words to
// ids and reverse ids to words; id 0 is "UNK", the others by decreasing
// frequency.
type dataset struct {
	data       []int32
	counts     []int
	dictionary map[string]int
	reverse    []string
}

func buildDataset(words []string, vocabularySize int) *dataset {
	freq := map[string]int{}
	for _, w := range words {
		freq[w]++
	}
	type wc struct {
		w string
		c int
	}
	list := make([]wc, 0, len(freq))
	for w, c := range freq {
		list = append(list, wc{w, c})
	}
	sort.Slice(list, func(i, j int) bool {
		if list[i].c != list[j].c {
			return list[i].c > list[j].c
		}
		return list[i].w < list[j].w
	})
	if len(list) > vocabularySize-1 {
		list = list[:vocabularySize-1]
	}
	d := &dataset{dictionary: map[string]int{"UNK": 0}, reverse: []string{"UNK"}, counts: []int{0}}
	for _, e := range list {
		d.dictionary[e.w] = len(d.reverse)
		d.reverse = append(d.reverse, e.w)
		d.counts = append(d.counts, e.c)
	}
	d.data = make([]int32, len(words))
	for i, w := range words {
		id := d.dictionary[w]
		if id == 0 {
			d.counts[0]++
		}
		d.data[i] = int32(id)
	}
	return d
}

// batcher is the notebook's generate_batch with its global data_index.
type batcher struct {
	data  []int32
	index int
	rng   *rand.Rand
}

func newBatcher(data []int32, rng *rand.Rand) *batcher { return &batcher{data: data, rng: rng} }

// generateBatch returns batchSize center words and, for each, one of the
// words at most skipWindow away: numSkips different context words per
// center word, then the window slides by one word.
func (b *batcher) generateBatch(batchSize, numSkips, skipWindow int) (*tensor.Dense, *tensor.Dense) {
	if batchSize%numSkips != 0 || numSkips > 2*skipWindow {
		panic("generateBatch: batch_size must be a multiple of num_skips, num_skips at most 2*skip_window")
	}
	batch := make([]int32, batchSize)
	labels := make([]int32, batchSize)
	span := 2*skipWindow + 1
	buffer := make([]int32, 0, span)
	push := func() {
		if len(buffer) == span {
			buffer = append(buffer[:0], buffer[1:]...)
		}
		buffer = append(buffer, b.data[b.index])
		b.index = (b.index + 1) % len(b.data)
	}
	for range span {
		push()
	}
	for i := 0; i < batchSize/numSkips; i++ {
		target := skipWindow
		avoid := map[int]bool{skipWindow: true}
		for j := 0; j < numSkips; j++ {
			for avoid[target] {
				target = b.rng.Intn(span)
			}
			avoid[target] = true
			batch[i*numSkips+j] = buffer[skipWindow]
			labels[i*numSkips+j] = buffer[target]
		}
		push()
	}
	return tensor.New(tensor.WithShape(batchSize), tensor.WithBacking(batch)),
		tensor.New(tensor.WithShape(batchSize, 1), tensor.WithBacking(labels))
}
