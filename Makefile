# SPDX-License-Identifier: GPL-2.0-only
#
# dm-swapfail, an out-of-tree device-mapper target (the module is built by
# the Kbuild file; this Makefile holds the commands around it).
#
#   make              build dm_swapfail.ko against KDIR
#   make check        the whole test suite: unit, style, and VM tests on
#                     every installed Debian kernel (installs what it needs)
#   make check-debug  the VM tests on a KASAN/lockdep/kmemleak kernel, then
#                     on a KCSAN one, built from Debian's linux-source-6.1
#                     (each built once, cached); make check runs the first
#   make stress       the stress tests on every installed kernel, the
#                     verified-I/O one for STRESS_SECONDS (default 300)
#   make demo         boot a VM and show a swapped page failing to read
#   make lab          the swap-failure scenarios on every installed kernel,
#                     written to docs/behaviour.md
#   make bench        dm-swapfail against dm-linear, dm-flakey and dm-dust
#                     in a VM: the exact mode (instructions, under QEMU's
#                     -icount) then the wall-clock mode, each with a delay-
#                     accuracy run against dm-delay; BENCH_ARGS=--exact or
#                     --wall-clock for one, --delay for the delay runs only,
#                     --no-delay for none, --module PATH.ko, --rounds N
#   make fuzz         fuzz the core with libFuzzer for SECONDS (default 600)
#   make unit         only the userspace unit tests of the core
#   make install      install the module for KDIR's kernel
#   make tools        build tools/swapfail (make tools-install installs it)
#   make deb          the dm-swapfail-dkms and swapfail-tools packages

KDIR ?= /lib/modules/$(shell uname -r)/build

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

modules_install install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules_install

tools:
	$(MAKE) -C tools

tools-install:
	$(MAKE) -C tools install

deb:
	scripts/build-debs

unit:
	$(MAKE) -C tests/unit check

check:
	tests/run

check-debug:
	tests/run-debug --flavour debug --flavour kcsan

stress:
	tests/run-stress

demo:
	tests/demo

lab:
	tests/lab/run

bench:
	tests/bench/run $(BENCH_ARGS)

fuzz:
	scripts/ensure-deps clang
	$(MAKE) -C tests/fuzz run

clean:
	rm -rf build
	rm -f *.o *.ko *.mod *.mod.c .*.cmd modules.order Module.symvers

.PHONY: all modules modules_install install tools tools-install deb unit check \
	check-debug stress demo \
	lab bench fuzz clean
