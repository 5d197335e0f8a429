// Umbrella header: everything in vmio's public API.
#pragma once

#include "vmio/detail/language.hpp"

#include "vmio/access.hpp"
#include "vmio/atomic.hpp"
#include "vmio/copy.hpp"
#include "vmio/error.hpp"
#include "vmio/fallibility.hpp"
#include "vmio/fallible.h"
#include "vmio/fault.hpp"
#include "vmio/has_vm_reader_writer.hpp"
#include "vmio/layout.hpp"
#include "vmio/panic.hpp"
#include "vmio/pod.hpp"
#include "vmio/reader.hpp"
#include "vmio/safety.hpp"
#include "vmio/signal_mask.hpp"
#include "vmio/vm_buffer.hpp"
#include "vmio/vm_io.hpp"
#include "vmio/vm_io_pointer.hpp"
#include "vmio/writer.hpp"
