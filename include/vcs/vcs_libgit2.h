/* vcs_libgit2.h: the libgit2 functions src/vcs/vcs.c calls, reached through
 * dlopen rather than the link line.  Included by vcs.c only.
 *
 * Linking libgit2 cost every goldset command about 4 ms at start-up (the
 * loader mapping it and the 16 libraries under it), while only the git
 * commands use it.  So the binary does not link it: vcs_global_init() loads
 * libgit2.so.LIBGIT2_SOVERSION on first use and fills in one pointer per
 * function below, typed like the function itself; then each name is
 * #defined to its pointer, so the calls in vcs.c read as plain libgit2.
 *
 * A new libgit2 call in vcs.c needs its name in both lists.  Forgetting it
 * fails the build: a name missing from VCS_LIBGIT2_FUNCS is an undefined
 * reference at link time (libgit2 is not linked), one missing from the
 * #defines an undeclared vcs_dl_ pointer. */
#ifndef GOLDSET_VCS_LIBGIT2_H
#define GOLDSET_VCS_LIBGIT2_H
#include <git2.h>

#define VCS_LIBGIT2_FUNCS(X) \
	X(git_blob_create_from_buffer) X(git_blob_free) X(git_blob_lookup) X(git_blob_rawcontent) \
	X(git_blob_rawsize) \
	X(git_buf_dispose) \
	X(git_checkout_options_init) X(git_checkout_tree) \
	X(git_commit_author) X(git_commit_create) X(git_commit_free) X(git_commit_id) \
	X(git_commit_lookup) X(git_commit_message) X(git_commit_parent) \
	X(git_commit_parentcount) X(git_commit_summary) X(git_commit_tree) \
	X(git_config_free) X(git_config_get_string) X(git_config_set_string) \
	X(git_credential_ssh_key_from_agent) X(git_credential_username_new) \
	X(git_credential_userpass_plaintext_new) \
	X(git_diff_free) X(git_diff_get_delta) X(git_diff_index_to_workdir) \
	X(git_diff_num_deltas) X(git_diff_options_init) X(git_diff_tree_to_tree) \
	X(git_error_last) \
	X(git_fetch_options_init) \
	X(git_graph_descendant_of) \
	X(git_index_add) X(git_index_add_bypath) X(git_index_conflict_iterator_free) \
	X(git_index_conflict_remove) \
	X(git_index_conflict_iterator_new) X(git_index_conflict_next) \
	X(git_index_entrycount) X(git_index_find_prefix) X(git_index_free) \
	X(git_index_get_byindex) X(git_index_has_conflicts) X(git_index_new) \
	X(git_index_open) X(git_index_path) X(git_index_read) X(git_index_read_tree) \
	X(git_index_remove_bypath) X(git_index_remove_directory) X(git_index_write) \
	X(git_index_write_tree_to) \
	X(git_libgit2_init) X(git_libgit2_shutdown) \
	X(git_merge_commits) \
	X(git_message_prettify) \
	X(git_object_free) X(git_object_id) X(git_object_lookup) X(git_object_peel) \
	X(git_odb_hash) \
	X(git_oid_cpy) X(git_oid_equal) X(git_oid_is_zero) X(git_oid_tostr) \
	X(git_push_options_init) \
	X(git_reference_create) X(git_reference_create_matching) \
	X(git_reference_free) X(git_reference_lookup) X(git_reference_name_to_id) \
	X(git_reference_symbolic_target) X(git_reference_type) \
	X(git_refspec_direction) X(git_refspec_src_matches) X(git_refspec_transform) \
	X(git_remote_connect) X(git_remote_disconnect) X(git_remote_download) \
	X(git_remote_free) X(git_remote_get_refspec) \
	X(git_remote_lookup) X(git_remote_ls) X(git_remote_name) X(git_remote_prune) \
	X(git_remote_prune_refs) X(git_remote_push) \
	X(git_remote_refspec_count) X(git_remote_update_tips) X(git_remote_url) \
	X(git_repository_config) X(git_repository_config_snapshot) X(git_repository_free) \
	X(git_repository_head_unborn) X(git_repository_index) \
	X(git_repository_init_ext) X(git_repository_init_options_init) \
	X(git_repository_is_bare) X(git_repository_open_ext) X(git_repository_path) \
	X(git_repository_state) X(git_repository_workdir) \
	X(git_revparse_single) \
	X(git_revwalk_free) X(git_revwalk_new) X(git_revwalk_next) \
	X(git_revwalk_push) X(git_revwalk_push_head) X(git_revwalk_sorting) \
	X(git_signature_free) X(git_signature_now) \
	X(git_status_byindex) X(git_status_list_entrycount) X(git_status_list_free) \
	X(git_status_list_new) X(git_status_options_init) \
	X(git_tag_create) X(git_tag_create_lightweight) X(git_tag_foreach) X(git_tag_name_is_valid) \
	X(git_tree_dup) X(git_tree_entry_bypath) X(git_tree_entry_filemode) X(git_tree_entry_free) \
	X(git_tree_entry_id) X(git_tree_entry_name) X(git_tree_entry_type) \
	X(git_tree_free) X(git_tree_id) X(git_tree_lookup) X(git_tree_walk)

/* the pointers, filled in by vcs_global_init() */
#define VCS_DL_POINTER(f) static __typeof__(f) *vcs_dl_##f;
VCS_LIBGIT2_FUNCS(VCS_DL_POINTER)
#undef VCS_DL_POINTER

/* every call in vcs.c goes through its pointer */
#define git_blob_create_from_buffer vcs_dl_git_blob_create_from_buffer
#define git_blob_free vcs_dl_git_blob_free
#define git_blob_lookup vcs_dl_git_blob_lookup
#define git_blob_rawcontent vcs_dl_git_blob_rawcontent
#define git_blob_rawsize vcs_dl_git_blob_rawsize
#define git_buf_dispose vcs_dl_git_buf_dispose
#define git_checkout_options_init vcs_dl_git_checkout_options_init
#define git_checkout_tree vcs_dl_git_checkout_tree
#define git_commit_author vcs_dl_git_commit_author
#define git_commit_create vcs_dl_git_commit_create
#define git_commit_free vcs_dl_git_commit_free
#define git_commit_id vcs_dl_git_commit_id
#define git_commit_lookup vcs_dl_git_commit_lookup
#define git_commit_message vcs_dl_git_commit_message
#define git_commit_parent vcs_dl_git_commit_parent
#define git_commit_parentcount vcs_dl_git_commit_parentcount
#define git_commit_summary vcs_dl_git_commit_summary
#define git_commit_tree vcs_dl_git_commit_tree
#define git_config_free vcs_dl_git_config_free
#define git_config_get_string vcs_dl_git_config_get_string
#define git_config_set_string vcs_dl_git_config_set_string
#define git_credential_ssh_key_from_agent vcs_dl_git_credential_ssh_key_from_agent
#define git_credential_username_new vcs_dl_git_credential_username_new
#define git_credential_userpass_plaintext_new vcs_dl_git_credential_userpass_plaintext_new
#define git_diff_free vcs_dl_git_diff_free
#define git_diff_get_delta vcs_dl_git_diff_get_delta
#define git_diff_index_to_workdir vcs_dl_git_diff_index_to_workdir
#define git_diff_num_deltas vcs_dl_git_diff_num_deltas
#define git_diff_options_init vcs_dl_git_diff_options_init
#define git_diff_tree_to_tree vcs_dl_git_diff_tree_to_tree
#define git_error_last vcs_dl_git_error_last
#define git_fetch_options_init vcs_dl_git_fetch_options_init
#define git_graph_descendant_of vcs_dl_git_graph_descendant_of
#define git_index_add vcs_dl_git_index_add
#define git_index_add_bypath vcs_dl_git_index_add_bypath
#define git_index_conflict_iterator_free vcs_dl_git_index_conflict_iterator_free
#define git_index_conflict_remove vcs_dl_git_index_conflict_remove
#define git_index_conflict_iterator_new vcs_dl_git_index_conflict_iterator_new
#define git_index_conflict_next vcs_dl_git_index_conflict_next
#define git_index_entrycount vcs_dl_git_index_entrycount
#define git_index_find_prefix vcs_dl_git_index_find_prefix
#define git_index_free vcs_dl_git_index_free
#define git_index_get_byindex vcs_dl_git_index_get_byindex
#define git_index_has_conflicts vcs_dl_git_index_has_conflicts
#define git_index_new vcs_dl_git_index_new
#define git_index_open vcs_dl_git_index_open
#define git_index_path vcs_dl_git_index_path
#define git_index_read vcs_dl_git_index_read
#define git_index_read_tree vcs_dl_git_index_read_tree
#define git_index_remove_bypath vcs_dl_git_index_remove_bypath
#define git_index_remove_directory vcs_dl_git_index_remove_directory
#define git_index_write vcs_dl_git_index_write
#define git_index_write_tree_to vcs_dl_git_index_write_tree_to
#define git_libgit2_init vcs_dl_git_libgit2_init
#define git_libgit2_shutdown vcs_dl_git_libgit2_shutdown
#define git_merge_commits vcs_dl_git_merge_commits
#define git_message_prettify vcs_dl_git_message_prettify
#define git_object_free vcs_dl_git_object_free
#define git_object_id vcs_dl_git_object_id
#define git_object_lookup vcs_dl_git_object_lookup
#define git_object_peel vcs_dl_git_object_peel
#define git_odb_hash vcs_dl_git_odb_hash
#define git_oid_cpy vcs_dl_git_oid_cpy
#define git_oid_equal vcs_dl_git_oid_equal
#define git_oid_is_zero vcs_dl_git_oid_is_zero
#define git_oid_tostr vcs_dl_git_oid_tostr
#define git_push_options_init vcs_dl_git_push_options_init
#define git_reference_create vcs_dl_git_reference_create
#define git_reference_create_matching vcs_dl_git_reference_create_matching
#define git_reference_free vcs_dl_git_reference_free
#define git_reference_lookup vcs_dl_git_reference_lookup
#define git_reference_name_to_id vcs_dl_git_reference_name_to_id
#define git_reference_symbolic_target vcs_dl_git_reference_symbolic_target
#define git_reference_type vcs_dl_git_reference_type
#define git_refspec_direction vcs_dl_git_refspec_direction
#define git_refspec_src_matches vcs_dl_git_refspec_src_matches
#define git_refspec_transform vcs_dl_git_refspec_transform
#define git_remote_connect vcs_dl_git_remote_connect
#define git_remote_disconnect vcs_dl_git_remote_disconnect
#define git_remote_download vcs_dl_git_remote_download
#define git_remote_free vcs_dl_git_remote_free
#define git_remote_get_refspec vcs_dl_git_remote_get_refspec
#define git_remote_lookup vcs_dl_git_remote_lookup
#define git_remote_ls vcs_dl_git_remote_ls
#define git_remote_name vcs_dl_git_remote_name
#define git_remote_prune vcs_dl_git_remote_prune
#define git_remote_prune_refs vcs_dl_git_remote_prune_refs
#define git_remote_push vcs_dl_git_remote_push
#define git_remote_refspec_count vcs_dl_git_remote_refspec_count
#define git_remote_update_tips vcs_dl_git_remote_update_tips
#define git_remote_url vcs_dl_git_remote_url
#define git_repository_config vcs_dl_git_repository_config
#define git_repository_config_snapshot vcs_dl_git_repository_config_snapshot
#define git_repository_free vcs_dl_git_repository_free
#define git_repository_head_unborn vcs_dl_git_repository_head_unborn
#define git_repository_index vcs_dl_git_repository_index
#define git_repository_init_ext vcs_dl_git_repository_init_ext
#define git_repository_init_options_init vcs_dl_git_repository_init_options_init
#define git_repository_is_bare vcs_dl_git_repository_is_bare
#define git_repository_open_ext vcs_dl_git_repository_open_ext
#define git_repository_path vcs_dl_git_repository_path
#define git_repository_state vcs_dl_git_repository_state
#define git_repository_workdir vcs_dl_git_repository_workdir
#define git_revparse_single vcs_dl_git_revparse_single
#define git_revwalk_free vcs_dl_git_revwalk_free
#define git_revwalk_new vcs_dl_git_revwalk_new
#define git_revwalk_next vcs_dl_git_revwalk_next
#define git_revwalk_push vcs_dl_git_revwalk_push
#define git_revwalk_push_head vcs_dl_git_revwalk_push_head
#define git_revwalk_sorting vcs_dl_git_revwalk_sorting
#define git_signature_free vcs_dl_git_signature_free
#define git_signature_now vcs_dl_git_signature_now
#define git_status_byindex vcs_dl_git_status_byindex
#define git_status_list_entrycount vcs_dl_git_status_list_entrycount
#define git_status_list_free vcs_dl_git_status_list_free
#define git_status_list_new vcs_dl_git_status_list_new
#define git_status_options_init vcs_dl_git_status_options_init
#define git_tag_create vcs_dl_git_tag_create
#define git_tag_create_lightweight vcs_dl_git_tag_create_lightweight
#define git_tag_foreach vcs_dl_git_tag_foreach
#define git_tag_name_is_valid vcs_dl_git_tag_name_is_valid
#define git_tree_dup vcs_dl_git_tree_dup
#define git_tree_entry_bypath vcs_dl_git_tree_entry_bypath
#define git_tree_entry_filemode vcs_dl_git_tree_entry_filemode
#define git_tree_entry_free vcs_dl_git_tree_entry_free
#define git_tree_entry_id vcs_dl_git_tree_entry_id
#define git_tree_entry_name vcs_dl_git_tree_entry_name
#define git_tree_entry_type vcs_dl_git_tree_entry_type
#define git_tree_free vcs_dl_git_tree_free
#define git_tree_id vcs_dl_git_tree_id
#define git_tree_lookup vcs_dl_git_tree_lookup
#define git_tree_walk vcs_dl_git_tree_walk
#endif
