//go:build tools

// Package tools keeps ./cmd/manager's dependencies in go.mod for `go mod tidy`; toolchain.sh builds the package by path.
package tools

import _ "github.com/cloudnative-pg/cloudnative-pg/cmd/manager"
