// Command etcd is upstream's etcd server (go.etcd.io/etcd/server/v3/etcdmain), built from the
// Go module proxy by ops/kube/build.sh for the Kubernetes API-server lane.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
