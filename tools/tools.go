//go:build tools

// Package tools pins the versions of build tools installed into bin/ by the
// Makefile, so `go install` resolves them from go.mod.
package tools

import (
	_ "github.com/elastic/crd-ref-docs"
	_ "sigs.k8s.io/controller-tools/cmd/controller-gen"
)
