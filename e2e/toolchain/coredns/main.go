// CoreDNS with only the plugins the local cluster DNS uses (see go.mod).
//
// Upstream's main (github.com/coredns/coredns/coredns.go) imports
// core/plugin, which links every in-tree plugin (cloud DNS providers, etcd,
// dnstap, grpc, quic, ...). Importing coremain plus a handful of plugins is
// the embedding upstream supports: plugins register themselves in init(),
// and the execution order still comes from core/dnsserver/zdirectives.go.
// A Corefile naming any other plugin fails with "unknown directive".
package main

import (
	"github.com/coredns/coredns/coremain"

	_ "github.com/coredns/coredns/plugin/bind"
	_ "github.com/coredns/coredns/plugin/cache"
	_ "github.com/coredns/coredns/plugin/errors"
	_ "github.com/coredns/coredns/plugin/health"
	_ "github.com/coredns/coredns/plugin/hosts"
	_ "github.com/coredns/coredns/plugin/kubernetes"
	_ "github.com/coredns/coredns/plugin/loadbalance"
	_ "github.com/coredns/coredns/plugin/log"
	_ "github.com/coredns/coredns/plugin/loop"
	_ "github.com/coredns/coredns/plugin/ready"
	_ "github.com/coredns/coredns/plugin/reload"
)

func main() {
	coremain.Run()
}
