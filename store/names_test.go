package store

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestValidNames(t *testing.T) {
	tests := []struct {
		name   string
		bucket bool // ValidBucket(name)
		key    bool // ValidKey(name)
	}{
		{"", false, false},
		{"records", true, true},
		{"~seq", false, true},
		{"a:b", false, true},
		{strings.Repeat("k", MaxKeySize), true, true},
		{strings.Repeat("k", MaxKeySize+1), true, false},
	}
	for _, tt := range tests {
		if got := ValidBucket(tt.name); got != tt.bucket {
			t.Errorf("ValidBucket(%.12q…) = %v, want %v", tt.name, got, tt.bucket)
		}
		if got := ValidKey(tt.name); got != tt.key {
			t.Errorf("ValidKey(%.12q…) = %v, want %v", tt.name, got, tt.key)
		}
	}
}

func TestTxRules(t *testing.T) {
	errDone := errors.New("b: done")
	invalid := fmt.Errorf("b: %w", ErrInvalid)
	readOnly := fmt.Errorf("b: %w", ErrReadOnly)
	r := TxRules{Prefix: "b", Done: errDone, Invalid: invalid, ReadOnly: readOnly}
	long := strings.Repeat("k", MaxKeySize+1)
	tests := []struct {
		name     string
		err      error
		want     error  // errors.Is
		wantText string // the message; "" when err is nil
	}{
		{"bucket ok", r.Bucket(false, "records"), nil, ""},
		{"bucket done", r.Bucket(true, "records"), errDone, "b: done"},
		{"bucket invalid", r.Bucket(false, "a:b"), invalid, `b: bucket "a:b": b: store: invalid bucket or key`},
		{"read ok", r.Read(false, "records", "k"), nil, ""},
		{"read done first", r.Read(true, "", ""), errDone, "b: done"},
		{"read empty key", r.Read(false, "records", ""), invalid, `b: key of 0 bytes in bucket "records": b: store: invalid bucket or key`},
		{"read long key", r.Read(false, "records", long), ErrInvalid, `b: key of 32761 bytes in bucket "records": b: store: invalid bucket or key`},
		{"write ok", r.Write(false, true, "records", "k"), nil, ""},
		{"write read-only", r.Write(false, false, "records", "k"), readOnly, `b: write records/"k": b: store: write through a read-only view`},
		{"write invalid before read-only", r.Write(false, false, "~seq", "k"), invalid, `b: bucket "~seq": b: store: invalid bucket or key`},
		{"seq ok", r.Seq(false, true, "next seq", "records"), nil, ""},
		{"seq done first", r.Seq(true, false, "next seq", ""), errDone, "b: done"},
		{"seq empty name", r.Seq(false, false, "take seq", ""), invalid, `b: take seq: empty counter name: b: store: invalid bucket or key`},
		{"seq read-only", r.Seq(false, false, "next seq", "records"), readOnly, `b: next seq "records": b: store: write through a read-only view`},
	}
	for _, tt := range tests {
		switch {
		case tt.want == nil && tt.err != nil:
			t.Errorf("%s: %v, want nil", tt.name, tt.err)
		case tt.want != nil && !errors.Is(tt.err, tt.want):
			t.Errorf("%s: %v, want %v", tt.name, tt.err, tt.want)
		case tt.err != nil && tt.err.Error() != tt.wantText:
			t.Errorf("%s: message %q, want %q", tt.name, tt.err.Error(), tt.wantText)
		}
	}
}
