package main

import "testing"

// The benchmarks compute 1,000,000 mixed deadlines per op:
//
//	go test ./bench -run '^$' -bench Deadlines -cpu 1 -benchtime 5x
func BenchmarkDeadlines(b *testing.B) { benchDeadlines(b, (*deadlineWork).fast) }

func BenchmarkDeadlinesNaive(b *testing.B) { benchDeadlines(b, (*deadlineWork).naive) }

func benchDeadlines(b *testing.B, f func(*deadlineWork) (int64, error)) {
	w, err := newDeadlineWork(1_000_000)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := f(w); err != nil {
			b.Fatal(err)
		}
	}
}

// TestBothWaysAgree keeps the naive peer honest: a ratio means something
// only when both compute the same deadlines.
func TestBothWaysAgree(t *testing.T) {
	w, err := newDeadlineWork(20000)
	if err != nil {
		t.Fatal(err)
	}
	a, err1 := w.fast()
	b, err2 := w.naive()
	if err1 != nil || err2 != nil || a != b {
		t.Fatalf("fast %d (%v) and naive %d (%v) disagree", a, err1, b, err2)
	}
}
