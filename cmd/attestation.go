package main

import (
	"flag"

	"github.com/cspforge/partnercenter-operator/internal/partnercenter/wire"
)

// attestationAPIVersion is the {version} path segment of the enhanced MCA
// attestation calls, a setting because Microsoft writes /v{version}/… without
// saying which versions exist.
var attestationAPIVersion = flag.String("attestation-api-version", wire.DefaultAPIVersion,
	"API version in the path of Partner Center's enhanced MCA attestation calls (/{version}/attestations/enhanced and the agreement created with it).")
