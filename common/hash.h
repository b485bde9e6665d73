/* hash.h: xxh3, compiled inline so that libward.so needs no shared xxhash at run time
 * (one library fewer to map at every exec). */
#ifndef WARD_HASH_H
#define WARD_HASH_H

#define XXH_INLINE_ALL
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>

#endif
