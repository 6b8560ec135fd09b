// cargo nerq (Sources/NerqCLI): `cargo nerq` runs this as `cargo-nerq nerq ARGS`.
#if canImport(Glibc)
import Glibc
#endif
import NerqCLI

exit(CargoNerq.main(CommandLine.arguments))
