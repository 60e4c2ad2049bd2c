package store

import (
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
