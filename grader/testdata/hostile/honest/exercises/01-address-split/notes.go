package addr

// A second learner file: a submission may spread its package over several.

// pageOf is what Split's VPN means, said once more for the reader.
const pageOf = "the virtual page number"
