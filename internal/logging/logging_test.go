package logging

import (
	"bytes"
	"testing"

	"go.uber.org/zap/zapcore"
	"sigs.k8s.io/controller-runtime/pkg/log/zap"
)

func TestNewCapsVerbosityWhateverTheLevel(t *testing.T) {
	for _, tc := range []struct {
		level   int
		written bool
	}{
		{0, true},
		{2, true},
		{MaxVerbosity, true},
		{8, false},  // client-go's request and response bodies
		{10, false}, // and their untruncated form
	} {
		var out bytes.Buffer
		log := New(zap.WriteTo(&out), zap.Level(zapcore.Level(-127)))
		log.V(tc.level).Info("Request Body", "body", "password=hunter2")
		if got := bytes.Contains(out.Bytes(), []byte("hunter2")); got != tc.written {
			t.Errorf("V(%d) written = %v, want %v", tc.level, got, tc.written)
		}
		if enabled := log.V(tc.level).Enabled(); enabled != tc.written {
			t.Errorf("V(%d).Enabled() = %v, want %v", tc.level, enabled, tc.written)
		}
	}
}
